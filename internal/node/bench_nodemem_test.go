package node_test

import (
	"fmt"
	"os"
	"runtime"
	"runtime/pprof"
	"testing"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/node"
)

// BenchmarkNodeMemory opens WORKDIARY_BENCH_NODES (50) online nodes and
// reports the resident memory and Go heap each costs, the figure that
// decides how many real contractor nodes one process can hold (P8); with
// WORKDIARY_BENCH_HEAP set it writes a heap profile there.
func BenchmarkNodeMemory(b *testing.B) {
	count := envInt(b, "WORKDIARY_BENCH_NODES", 50)
	b.StopTimer()
	clk := clocktest.New(benchStart)
	runtime.GC()
	var m0, m1 runtime.MemStats
	runtime.ReadMemStats(&m0)
	rss0 := procStatusMB("VmRSS")
	nodes := make([]*node.Node, count)
	for i := range nodes {
		nodes[i] = benchOnline(b, clk, fmt.Sprintf("Contractor %d", i), benchNodeOptions()...)
	}
	runtime.GC()
	runtime.ReadMemStats(&m1)
	rss1 := procStatusMB("VmRSS")
	if path := os.Getenv("WORKDIARY_BENCH_HEAP"); path != "" {
		f, err := os.Create(path)
		if err != nil {
			b.Fatal(err)
		}
		_ = pprof.WriteHeapProfile(f)
		f.Close()
	}
	b.ReportMetric((rss1-rss0)/float64(count), "MB-rss/node")
	b.ReportMetric(float64(m1.HeapInuse-m0.HeapInuse)/1e6/float64(count), "MB-heap/node")
	b.ReportMetric(float64(m1.Sys-m0.Sys)/1e6/float64(count), "MB-gosys/node")
	for _, n := range nodes {
		benchClose(n)
	}
}

// benchNodeOptions open the nodes of a benchmark that holds many at once
// small (node.WithSmallStore), unless WORKDIARY_BENCH_FULL_NODES is set.
func benchNodeOptions() []node.Option {
	if os.Getenv("WORKDIARY_BENCH_FULL_NODES") != "" {
		return nil
	}
	return []node.Option{node.WithSmallStore()}
}
