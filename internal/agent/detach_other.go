//go:build !unix

package agent

import "syscall"

// detached: on Windows the agent outlives the app as it is.
func detached() *syscall.SysProcAttr { return nil }
