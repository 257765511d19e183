//go:build !darwin

package capture

// ready: only macOS asks for a permission before the screen can be read.
func ready() error { return nil }
