//go:build !unix

package node_test

// cpuMS is not measured where getrusage is missing: the benchmarks print 0.
func cpuMS() float64 { return 0 }
