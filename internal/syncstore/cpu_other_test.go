//go:build !unix

package syncstore_test

// cpuMS is 0 where the process's CPU time is not read: the benchmarks
// report wall time only.
func cpuMS() float64 { return 0 }
