//go:build unix

package node_test

import "syscall"

// cpuMS is the CPU time this process has used, user and system.
func cpuMS() float64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return float64(u.Utime.Nano()+u.Stime.Nano()) / 1e6
}

// pageFaults counts this process's page faults, minor and major: on a
// store's memory-mapped tables, the pages a call touched for the first
// time.
func pageFaults() int64 {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		return 0
	}
	return u.Minflt + u.Majflt
}
