// Package version owns what a Workdiary build says about itself: its
// version, the commit it was built from and when. `make build` and
// `make release` set them with -ldflags -X; a plain `go build` falls back to
// what the Go toolchain recorded (the VCS revision and time), and to "dev".
package version
