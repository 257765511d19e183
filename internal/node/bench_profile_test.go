package node_test

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"
)

// benchProfileEnv names the path prefix under which a benchmark keeps the
// profiles of its timed part (scripts/bench.sh: bench-out/p4 and
// bench-out/p4-ram); unset, nothing is profiled.
const benchProfileEnv = "WORKDIARY_BENCH_PROFILE"

// benchProfiler profiles only the timed calls of a benchmark, not the
// setup around them: a CPU profile per call (prefix-<part>-cpu-<i>.pprof;
// `go tool pprof` merges several named on its command line), and block
// and mutex profiles of all the calls together. Both nodes of a bench run
// in one process: the stacks tell the sides apart, and so do the labels
// (the protocol a handler serves, set by p2p.Host.Handle; "part" for the
// call itself: "sync" is the contractor's Sync).
type benchProfiler struct {
	tb     testing.TB
	prefix string
}

func newBenchProfiler(tb testing.TB) *benchProfiler {
	prefix := os.Getenv(benchProfileEnv)
	if prefix == "" {
		return nil
	}
	runtime.SetBlockProfileRate(0)
	runtime.SetMutexProfileFraction(0)
	return &benchProfiler{tb: tb, prefix: prefix}
}

// run calls f as call i of part, profiled when profiling is on.
func (p *benchProfiler) run(part string, i int, f func()) {
	if p == nil {
		f()
		return
	}
	out, err := os.Create(fmt.Sprintf("%s-%s-cpu-%d.pprof", p.prefix, part, i+1))
	if err != nil {
		p.tb.Fatal(err)
	}
	defer out.Close()
	if err := pprof.StartCPUProfile(out); err != nil {
		p.tb.Fatal(err)
	}
	// Every blocking event and contended lock while f runs (a rate of 1
	// costs a little time; the figures of a profiled run are marked so).
	runtime.SetBlockProfileRate(1)
	runtime.SetMutexProfileFraction(1)
	pprof.Do(context.Background(), pprof.Labels("part", part), func(context.Context) { f() })
	runtime.SetBlockProfileRate(0)
	runtime.SetMutexProfileFraction(0)
	pprof.StopCPUProfile()
}

// finish writes the block and mutex profiles gathered by the calls.
func (p *benchProfiler) finish() {
	if p == nil {
		return
	}
	for _, kind := range []string{"block", "mutex"} {
		out, err := os.Create(fmt.Sprintf("%s-%s.pprof", p.prefix, kind))
		if err != nil {
			p.tb.Fatal(err)
		}
		if err := pprof.Lookup(kind).WriteTo(out, 0); err != nil {
			p.tb.Fatal(err)
		}
		_ = out.Close()
	}
}
