// Package e2e tests the built programs as a user runs them: the desktop app
// in a real window under X, and the CLI beside it on the same data folder.
// Run with `make test-e2e` (build tag e2e; needs `make build` first).
package e2e
