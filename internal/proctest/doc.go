// Package proctest reads what Linux says of a running process in /proc,
// for the tests and benchmarks that measure whole processes: a line of
// its status, such as its peak or current memory.
package proctest
