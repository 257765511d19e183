//go:build windows

package input

import (
	"os/exec"
	"syscall"

	"golang.org/x/sys/windows"
)

// noConsole keeps Windows from opening a console window for the helper:
// it is a console program, and one started by the desktop app (which has
// no console) would otherwise get a window of its own for as long as it
// counts. Its pipes work the same without one.
func noConsole(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{CreationFlags: windows.CREATE_NO_WINDOW}
}
