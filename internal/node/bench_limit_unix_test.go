//go:build unix

package node_test

import (
	"syscall"
	"testing"
)

// raiseFileLimit lifts the soft open-files limit to the hard one: 101
// nodes hold Badger files, listeners and connections in one process.
func raiseFileLimit(b *testing.B) {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		b.Logf("open-files limit: %v", err)
		return
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			b.Logf("raise the open-files limit: %v", err)
		}
	}
}
