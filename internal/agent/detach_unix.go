//go:build unix

package agent

import "syscall"

// detached starts the agent in a session of its own, so that it outlives
// the app and the terminal or launcher that started it.
func detached() *syscall.SysProcAttr { return &syscall.SysProcAttr{Setsid: true} }
