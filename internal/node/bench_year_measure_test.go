package node_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/timesheet"
)

// benchYearEnv chooses the team sizes of BenchmarkYear ("10,100" unless
// set; "10,100,1000" builds the thousand-contractor year as well).
// benchYearMeasureEnv makes the test binary the measuring process for one
// generated folder, so that each team size is opened by a fresh process
// whose memory is its own.
const (
	benchYearEnv        = "WORKDIARY_BENCH_YEAR"
	benchYearMeasureEnv = "WORKDIARY_BENCH_YEAR_MEASURE"
	benchOutEnv         = "WORKDIARY_BENCH_OUT"
)

// yearFigures are one team size's P11 figures: milliseconds, and the
// process's resident MB (VmRSS) after each step.
type yearFigures struct {
	Contractors int     `json:"contractors"`
	Entries     int     `json:"entries"`
	FolderMB    float64 `json:"folder_mb"`
	OpenMS      float64 `json:"open_ms"`
	TeamMS      float64 `json:"team_ms"`       // median of 5, after a first call
	TeamFirstMS float64 `json:"team_first_ms"` // the first call after opening
	// TeamFirstCPUMS, TimesheetCPUMS and VerifyCPUMS are the process's CPU
	// time during those single calls.
	TeamFirstCPUMS float64 `json:"team_first_cpu_ms"`
	// TeamFirstFaults are the page faults of the first call: the pages of
	// Badger's tables (and of the heap) it touched first.
	TeamFirstFaults int64   `json:"team_first_faults"`
	TimesheetCPUMS  float64 `json:"timesheet_cpu_ms"`
	VerifyCPUMS     float64 `json:"verify_cpu_ms"`
	TeamCPUMS       float64 `json:"team_cpu_ms"` // the process's CPU time per call: what load on the machine does not inflate
	MonthCPUMS      float64 `json:"month_cpu_ms"`
	MonthMS         float64 `json:"month_ms"` // one contractor's month, received side
	MonthSegs       int     `json:"month_segments"`
	TimesheetMS     float64 `json:"timesheet_ms"` // export: build, sign, write
	VerifyMS        float64 `json:"verify_ms"`    // the bundle verified offline
	SyncMS          float64 `json:"sync_ms"`      // a round with nothing new, one contract, median of 5
	// CloseMS is the rounds that closed the year's weeks (8 a round, all
	// due at once in a generated folder), CloseRounds how many; then the
	// timesheet of the week before (2026-W48 is still open at yearNow),
	// from its close: only its entries, proven.
	CloseMS           float64 `json:"close_ms"`
	CloseRounds       int     `json:"close_rounds"`
	TimesheetClosedMS float64 `json:"timesheet_closed_ms"`
	VerifyClosedMS    float64 `json:"verify_closed_ms"`
	RSSOpenMB         float64 `json:"rss_open_mb"`
	RSSTeamMB         float64 `json:"rss_team_mb"`
	RSSMonthMB        float64 `json:"rss_month_mb"`
	RSSTimesheet      float64 `json:"rss_timesheet_mb"`
	RSSSyncMB         float64 `json:"rss_sync_mb"` // the employer and contractor 0's node in one process
	PeakEmployer      float64 `json:"peak_rss_mb"` // VmHWM before contractor 0's node opens
	// AnonTimesheetMB is RssAnon at the same point: the process's own
	// memory, without the pages of Badger's memory-mapped tables that
	// reading brought in (file pages, which the kernel can drop).
	AnonTimesheetMB float64 `json:"rss_anon_mb"`
	GoroutinesEnd   int     `json:"goroutines"`
	// LoadAvg is the machine's load (/proc/loadavg) when measuring: on a
	// shared machine, wall times grow with it and CPU times do not.
	LoadAvg string `json:"loadavg"`
}

// BenchmarkYear (P11) builds, once, an employer folder holding a working
// year of each team size under bench-out/, then measures it in a fresh
// process: opening, the Team screen, one contractor's month, a week's
// timesheet and its verification, and a sync round that finds nothing new.
func BenchmarkYear(b *testing.B) {
	out := os.Getenv(benchOutEnv)
	if out == "" {
		out = filepath.Join("..", "..", "bench-out")
	}
	sizes := os.Getenv(benchYearEnv)
	if sizes == "" {
		sizes = "10,100"
	}
	for _, s := range strings.Split(sizes, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(s))
		if err != nil || n < 1 {
			b.Fatalf("%s=%q: want team sizes like 10,100,1000", benchYearEnv, sizes)
		}
		dir := filepath.Join(out, fmt.Sprintf("year-%d", n))
		t0 := time.Now()
		if err := generateYear(dir, n, b.Logf); err != nil {
			b.Fatalf("generate the year of %d: %v", n, err)
		}
		b.Logf("year of %d ready in %s", n, time.Since(t0).Round(time.Second))
		f := measureYearProcess(b, dir)
		f.Contractors, f.Entries, f.FolderMB = n, n*yearEntries, folderMB(filepath.Join(dir, "employer"))
		js, _ := json.Marshal(f)
		if err := os.WriteFile(filepath.Join(out, fmt.Sprintf("p11-%d.json", n)), js, 0o644); err != nil {
			b.Fatal(err)
		}
		fmt.Printf("P11 year of %d contractors: %s\n", n, js)
	}
}

func measureYearProcess(b *testing.B, dir string) yearFigures {
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchYearMeasureEnv+"="+dir, node.EnvLocalOnly+"=1")
	cmd.Stderr = os.Stderr
	js, err := cmd.Output()
	if err != nil {
		b.Fatalf("measuring process for %s: %v", dir, err)
	}
	var f yearFigures
	if err := json.Unmarshal(js, &f); err != nil {
		b.Fatalf("measuring process answer %q: %v", js, err)
	}
	return f
}

func folderMB(dir string) float64 {
	var total int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			if info, err := d.Info(); err == nil {
				total += info.Size()
			}
		}
		return nil
	})
	return float64(total) / (1 << 20)
}

// measureYear is the measuring process: it opens the employer folder of
// dir at yearNow, times each query, and keeps CPU and heap profiles of
// the queries beside the folder.
func measureYear(dir string) (yearFigures, error) {
	y := yearFolder{dir}
	var f yearFigures
	// The opening and the first team view have a CPU profile of their
	// own (open-cpu.pprof), the rest another (cpu.pprof).
	first, err := os.Create(filepath.Join(dir, "open-cpu.pprof"))
	if err != nil {
		return f, err
	}
	defer first.Close()
	_ = pprof.StartCPUProfile(first)
	clk := clocktest.New(yearNow)
	var emp *node.Node
	f.OpenMS = timed(func() error { emp, err = node.Open(y.employer(), "bench", clk); return err })
	if err != nil {
		pprof.StopCPUProfile()
		return f, err
	}
	defer emp.Close()
	f.RSSOpenMB = procStatusMB("VmRSS")
	var rows []node.TeamRow
	faults := pageFaults()
	f.TeamFirstMS, f.TeamFirstCPUMS = timedCPU(func() error { rows, err = emp.Team(); return err })
	f.TeamFirstFaults = pageFaults() - faults
	pprof.StopCPUProfile()
	prof, err := os.Create(filepath.Join(dir, "cpu.pprof"))
	if err != nil {
		return f, err
	}
	defer prof.Close()
	_ = pprof.StartCPUProfile(prof)
	defer pprof.StopCPUProfile()
	f.TeamMS, f.TeamCPUMS = median(5, func() error { rows, err = emp.Team(); return err })
	if err != nil {
		return f, err
	}
	f.RSSTeamMB = procStatusMB("VmRSS")
	cid := ""
	for _, r := range rows {
		if r.Title == yearTitle(0) {
			cid = r.Contract
		}
	}
	month := time.Date(2026, 11, 1, 0, 0, 0, 0, time.UTC)
	f.MonthMS, f.MonthCPUMS = median(5, func() error {
		views, err := emp.ReceivedDiary(cid, month, month.AddDate(0, 1, 0))
		f.MonthSegs = len(views)
		return err
	})
	f.RSSMonthMB = procStatusMB("VmRSS")
	var ts node.TimesheetResult
	f.TimesheetMS, f.TimesheetCPUMS = timedCPU(func() error {
		ts, err = emp.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: "2026-W48", Out: filepath.Join(dir, "timesheet")})
		return err
	})
	if err != nil {
		return f, fmt.Errorf("timesheet: %w", err)
	}
	f.VerifyMS, f.VerifyCPUMS = timedCPU(func() error { _, err := timesheet.VerifyBundle(ts.Files.Zip); return err })
	f.RSSTimesheet = procStatusMB("VmRSS")
	f.PeakEmployer = procStatusMB("VmHWM")
	f.AnonTimesheetMB = procStatusMB("RssAnon")
	heap, err := os.Create(filepath.Join(dir, "heap.pprof"))
	if err == nil {
		runtime.GC()
		_ = pprof.WriteHeapProfile(heap)
		heap.Close()
	}
	if err = measureIdleSync(y, emp, clk, cid, &f); err != nil {
		return f, fmt.Errorf("sync: %w", err)
	}
	f.TimesheetClosedMS = timed(func() error {
		ts, err = emp.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: "2026-W47", Out: filepath.Join(dir, "timesheet-closed")})
		return err
	})
	if err != nil || !strings.Contains(ts.Summary, "week closed by both parties") {
		return f, fmt.Errorf("closed week's timesheet: %v %s", err, ts.Summary)
	}
	f.VerifyClosedMS = timed(func() error { _, err := timesheet.VerifyBundle(ts.Files.Zip); return err })
	f.RSSSyncMB = procStatusMB("VmRSS")
	f.GoroutinesEnd = runtime.NumGoroutine()
	if b, err := os.ReadFile("/proc/loadavg"); err == nil {
		f.LoadAvg = strings.Join(strings.Fields(string(b))[:3], " ")
	}
	return f, nil
}

// measureIdleSync has contractor 0 push to the employer, both already
// holding the same year: after a first round that connects, the rounds
// that close the year's weeks, then the median of five rounds that find
// nothing new.
func measureIdleSync(y yearFolder, emp *node.Node, clk *clocktest.Fake, cid string, f *yearFigures) error {
	ctx := context.Background()
	if err := emp.StartNetwork(ctx, emp.UserNetOptions(nil)); err != nil {
		return err
	}
	con, err := node.Open(y.contractor(0), "bench", clk)
	if err != nil {
		return err
	}
	defer con.Close()
	if err := con.StartNetwork(ctx, loopback); err != nil {
		return err
	}
	round := func() error {
		res, err := con.Sync(ctx, node.SyncParams{Contract: cid}, nil)
		if err == nil && (len(res) != 1 || res[0].Error != "" || res[0].Seq != yearEntries) {
			err = fmt.Errorf("round: %+v, want the employer at seq %d", res, yearEntries)
		}
		return err
	}
	if err := round(); err != nil {
		return err
	}
	closed := func() int { st, _ := con.LogStatus(cid); return len(st.Closed) }
	for before := -1; closed() != before && f.CloseRounds < 20; f.CloseRounds++ {
		before = closed()
		t0 := time.Now()
		if err := round(); err != nil {
			return err
		}
		f.CloseMS += float64(time.Since(t0).Microseconds()) / 1000
	}
	var rerr error
	f.SyncMS, _ = median(5, func() error {
		if err := round(); err != nil {
			rerr = err
		}
		return nil
	})
	return rerr
}

// timed runs fn once and returns its milliseconds.
func timed(fn func() error) float64 {
	t0 := time.Now()
	_ = fn()
	return float64(time.Since(t0).Microseconds()) / 1000
}

// timedCPU runs fn once and returns its milliseconds and the process's
// CPU milliseconds meanwhile.
func timedCPU(fn func() error) (wall, cpu float64) {
	c0 := cpuMS()
	wall = timed(fn)
	return wall, cpuMS() - c0
}

// median runs fn k times and returns the median milliseconds, and the
// process's mean CPU milliseconds per run.
func median(k int, fn func() error) (wall, cpu float64) {
	ms := make([]float64, k)
	c0 := cpuMS()
	for i := range ms {
		ms[i] = timed(fn)
	}
	cpu = (cpuMS() - c0) / float64(k)
	slices.Sort(ms)
	return ms[k/2], cpu
}
