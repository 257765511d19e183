package node_test

import (
	"context"
	"fmt"
	"os"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/node"
)

// manyRun is one P8 run: contractors each record segments (one
// screenshot of shotBytes each) and sync them to one employer process,
// wave contractors at a time. A wave's contractors are real nodes of this
// process (each its own folder, store and libp2p host, syncing over
// loopback), opened small (benchNodeOptions: 4 MB of heap each rather
// than 12) for the wave and closed after it.
type manyRun struct {
	contractors, segments, shotBytes, wave int
}

// manyFigures are what a run reports.
type manyFigures struct {
	seconds, movedMB, peakRSS float64
	cpuSeconds                float64 // the employer process's CPU time while syncing
	benchPeakRSS              float64 // this process's (the contractors') peak
	load                      float64 // the machine's 1-minute load average after the sync
	failed                    int
	waves                     []string // per wave: seconds and the employer's RSS after it
}

func (r manyRun) run(b *testing.B) manyFigures {
	raiseFileLimit(b)
	// The contractors' stores hold about 4 MB of heap each, mostly
	// memtable arenas never written; the collector, pacing itself by
	// that heap, would otherwise let gigabytes of the images made for
	// their days pile up before collecting.
	defer debug.SetGCPercent(debug.SetGCPercent(20))
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Minute)
	defer cancel()
	clk := clocktest.New(benchStart)
	emp := startBenchEmployer(b)
	defer emp.quit()
	var invites []string
	emp.ask(b, &invites, "offer %d", r.contractors)
	var f manyFigures
	for from := 0; from < r.contractors; from += r.wave {
		n := min(r.wave, r.contractors-from)
		t, cpu, failed, moved := r.runWave(b, ctx, clk, emp, invites[from:from+n], from)
		f.cpuSeconds += cpu
		f.seconds += t.Seconds()
		f.failed += failed
		f.movedMB += float64(moved) / 1e6
		rss := procStatusMBOf(emp.cmd.Process.Pid, "VmRSS")
		f.waves = append(f.waves, fmt.Sprintf("%.0fs/%.0fMB", t.Seconds(), rss))
	}
	f.peakRSS = emp.peakRSSMB()
	f.benchPeakRSS = procStatusMB("VmHWM")
	f.load = loadAverage()
	return f
}

// runWave opens len(invites) contractors, has each accept online, record
// and approve its segments, and sync them all at once; it checks every
// log against the employer's copy, head for head, and closes them.
func (r manyRun) runWave(b *testing.B, ctx context.Context, clk *clocktest.Fake, emp *benchEmployer, invites []string, first int) (time.Duration, float64, int, int64) {
	cons := make([]*node.Node, len(invites))
	cids := make([]string, len(invites))
	var moved int64
	for j := range cons {
		cons[j] = benchOnline(b, clk, fmt.Sprintf("Contractor %d", first+j), benchNodeOptions()...)
		cids[j] = benchAccept(b, cons[j], invites[j])
	}
	for j := range cons {
		moved += benchWeek(b, clk, cons[j], cids[j], r.segments, r.shotBytes, uint64(first+j+1))
	}
	var ok string
	emp.ask(b, &ok, "advance %s", clk.Now().Format(time.RFC3339))
	errs := make([]string, len(cons))
	var wg sync.WaitGroup
	b.StartTimer()
	t0, cpu0 := time.Now(), procCPUSeconds(emp.cmd.Process.Pid)
	for j := range cons {
		wg.Go(func() {
			res, err := cons[j].Sync(ctx, node.SyncParams{Contract: cids[j]}, nil)
			switch {
			case err != nil:
				errs[j] = err.Error()
			case len(res) != 1 || res[0].Error != "":
				errs[j] = fmt.Sprintf("%+v", res)
			}
		})
	}
	wg.Wait()
	took, cpu := time.Since(t0), procCPUSeconds(emp.cmd.Process.Pid)-cpu0
	b.StopTimer()
	var held []node.LogStatus
	emp.ask(b, &held, "status %s", strings.Join(cids, " "))
	failed := countUnverified(b, held, cons, cids, errs, uint64(r.segments))
	for _, n := range cons {
		benchClose(n)
	}
	return took, cpu, failed, moved
}

// BenchmarkThousandContractors (P8): contractors sync a working day each
// (48 segments) to one employer process, all at once: an agency's node
// admits as many connections as it has contracts (p2p.LimitsFor) and
// bounds the images it holds (syncp2p.MaxImagesInFlight).
// WORKDIARY_BENCH_P8_CONTRACTORS lists the team sizes, each with an
// employer of its own ("1000" unless set; "100,300,1000" shows how time
// and memory grow); WORKDIARY_BENCH_P8_WAVE caps how many sync at once
// (all unless set), each wave's contractors opened for it and closed
// after.
func BenchmarkThousandContractors(b *testing.B) {
	for _, n := range envInts(b, "WORKDIARY_BENCH_P8_CONTRACTORS", "1000") {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			r := manyRun{contractors: n, segments: 48, shotBytes: p8ShotBytes, wave: envInt(b, "WORKDIARY_BENCH_P8_WAVE", n)}
			b.StopTimer()
			f := r.run(b)
			b.ReportMetric(f.seconds, "s/total")
			b.ReportMetric(float64(r.contractors), "contractors")
			b.ReportMetric(float64(min(r.wave, r.contractors)), "at-once")
			b.ReportMetric(float64(r.contractors*r.segments), "entries")
			b.ReportMetric(f.movedMB, "MB-moved")
			b.ReportMetric(float64(f.failed), "failed")
			b.ReportMetric(f.peakRSS, "MB-employer-peak-rss")
			b.ReportMetric(f.cpuSeconds, "s-employer-cpu")
			b.ReportMetric(f.benchPeakRSS, "MB-contractors-peak-rss")
			b.ReportMetric(f.load, "load-1m")
			b.Logf("waves (sync time / employer RSS after): %s", strings.Join(f.waves, " "))
		})
	}
}

// loadAverage is the machine's 1-minute load average (/proc/loadavg; 0
// elsewhere): figures on two shared cores mean little without it.
func loadAverage() float64 {
	b, err := os.ReadFile("/proc/loadavg")
	if err != nil {
		return 0
	}
	v, _ := strconv.ParseFloat(strings.Fields(string(b))[0], 64)
	return v
}

// envInts reads a comma-separated list of positive numbers.
func envInts(b *testing.B, name, def string) []int {
	s := os.Getenv(name)
	if s == "" {
		s = def
	}
	var out []int
	for _, f := range strings.Split(s, ",") {
		v, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || v < 1 {
			b.Fatalf("%s=%q: want positive numbers like 100,1000", name, s)
		}
		out = append(out, v)
	}
	return out
}

func envInt(b *testing.B, name string, def int) int {
	s := os.Getenv(name)
	if s == "" {
		return def
	}
	v, err := strconv.Atoi(s)
	if err != nil || v < 1 {
		b.Fatalf("%s=%q: want a positive number", name, s)
	}
	return v
}
