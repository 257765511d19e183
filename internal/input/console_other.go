//go:build !windows

package input

import "os/exec"

// noConsole: only Windows opens a window for a console program.
func noConsole(*exec.Cmd) {}
