//go:build unix

package syncstore_test

import "syscall"

// cpuMS is the CPU time this process has used, user and system.
func cpuMS() float64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return float64(u.Utime.Nano()+u.Stime.Nano()) / 1e6
}
