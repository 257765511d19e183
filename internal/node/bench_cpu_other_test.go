//go:build !unix

package node_test

// cpuMS is not measured where getrusage is missing: the benchmarks print 0.
func cpuMS() float64 { return 0 }

// pageFaults is not counted where getrusage is missing.
func pageFaults() int64 { return 0 }
