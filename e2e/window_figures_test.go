//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/notify/notifytest"
)

// readyLine is the app's debug line once its first screen has rendered
// with its data (app.AgentAPI.Shown), with the time since its start.
var readyLine = regexp.MustCompile(`msg="window ready" screen=(\w+) ms=(\d+)`)

// windowFigures are P12's figures, as scripts/benchtable.py reads them.
type windowFigures struct {
	IdleSeconds   float64   `json:"idle_seconds"`
	IdleCPU       float64   `json:"idle_cpu_percent"`
	IdlePSS       float64   `json:"idle_pss_mb"`
	IdleProcesses []string  `json:"idle_processes"`
	ColdMS        []float64 `json:"cold_ms"`     // exec to the Diary shown, seen from outside
	ColdAppMS     []float64 `json:"cold_app_ms"` // the same, as the app measures it from its start
	ReopenMS      []float64 `json:"reopen_ms"`   // the tray's Open to the window shown, seen from outside
	ReopenAppMS   []float64 `json:"reopen_app_ms"`
	// CPU time the app and its WebKit processes had used when the window
	// said it was ready: what a start costs whatever the machine's load.
	ColdCPUMS   []float64 `json:"cold_cpu_ms"`
	ReopenCPUMS []float64 `json:"reopen_cpu_ms"`
	LoadAvg     string    `json:"loadavg"`
}

// The built desktop app's P12 figures (make bench; a measurement, not a
// test: it runs only with WORKDIARY_BENCH_OUT set and asserts nothing
// about time). Under Xvfb with a session bus of its own and a tray
// watcher, on a contractor's folder with a diary: cold starts to the
// Diary shown with its data; the window open and idle on the Diary, the
// app and all its WebKit processes sampled from /proc (CPU time, PSS);
// and the window reopened from the tray's Open while the resident agent
// holds the session, to the first screen shown.
func TestWindowFigures(t *testing.T) {
	out := os.Getenv("WORKDIARY_BENCH_OUT")
	if out == "" {
		t.Skip("a measurement for make bench (WORKDIARY_BENCH_OUT)")
	}
	idleFor := 30 * time.Second
	if s := os.Getenv("WORKDIARY_BENCH_IDLE"); s != "" {
		if d, err := time.ParseDuration(s); err == nil {
			idleFor = d
		}
	}
	display := requireDisplay(t)
	bus := notifytest.SessionBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	notifytest.Serve(t, bus)
	tray := serveTrayWatcher(t, bus)

	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Bench", rate: "30.00", currency: "EUR", screenshots: 1})
	t.Cleanup(func() { killOwner(t, con) })
	// A diary to show: 20 minutes recorded at 120x.
	cli(t, con, "track", "--contract", id[:10], "--memo", "bench", "--for", "20m", "--clock-speed", "120")
	segs := mustReadDiary(t, con)
	if len(segs) == 0 {
		t.Fatal("no diary to show")
	}
	segment := segs[len(segs)-1].ID
	env := []string{"DISPLAY=" + display, "WORKDIARY_LOG_LEVEL=debug"}
	var f windowFigures

	// Cold starts: nothing runs on the folder; the window opens on the
	// Diary at a segment (a screenshot notification's Open).
	const runs = 3
	for i := 0; i < runs; i++ {
		start := time.Now()
		app := startProc(t, env, binary(t, "workdiary-app"), "--home", con, "--segment", segment)
		seen, appMS := waitReady(t, func() string { return app.out.String() }, 0, start, 60*time.Second)
		f.ColdMS, f.ColdAppMS = append(f.ColdMS, seen), append(f.ColdAppMS, appMS)
		f.ColdCPUMS = append(f.ColdCPUMS, cpuMS(app.cmd.Process.Pid, bus))
		if i == 0 {
			f.IdleSeconds, f.IdleCPU, f.IdlePSS, f.IdleProcesses = idleCost(t, app.cmd.Process.Pid, bus, idleFor, out)
		}
		// SIGTERM quits (no agent is left), as the tray's Quit does.
		_ = app.cmd.Process.Signal(syscall.SIGTERM)
		if !app.endsWithin(20 * time.Second) {
			t.Fatalf("the app did not quit:\n%s", app.hungOutput())
		}
		os.WriteFile(filepath.Join(out, "p12-app.log"), []byte(app.out.String()), 0o644)
	}

	// Reopening: the window closed, the agent holds the folder and the
	// session; the tray's Open starts the window, whose output goes to
	// the agent's log.
	app := startProc(t, env, binary(t, "workdiary-app"), "--home", con)
	waitReady(t, func() string { return app.out.String() }, 0, time.Now(), 60*time.Second)
	cli(t, con, "track", "--contract", id[:10], "--memo", "reopened", "--detach")
	agentLog := filepath.Join(con, "agent.log")
	win := waitForWindow(t, "^Workdiary$", 30*time.Second)
	for i := 0; i < runs; i++ {
		closeWindow(t, display, win)
		waitOwner(t, con, roleAgent, 30*time.Second)
		item := tray.waitItem(t, 20*time.Second)
		time.Sleep(2 * time.Second) // the agent settled, as after a while in the tray
		before := readyCount(agentLog)
		start := time.Now()
		tray.click(t, item, "Open Workdiary")
		seen, appMS := waitReady(t, func() string { b, _ := os.ReadFile(agentLog); return string(b) }, before, start, 60*time.Second)
		f.ReopenMS, f.ReopenAppMS = append(f.ReopenMS, seen), append(f.ReopenAppMS, appMS)
		f.ReopenCPUMS = append(f.ReopenCPUMS, cpuMS(ownerPID(con), bus))
		if st := waitOwner(t, con, roleApp, 30*time.Second); !st.Running {
			t.Fatalf("the reopened window does not carry the session on: %+v", st)
		}
		win = waitForWindow(t, "^Workdiary$", 30*time.Second)
	}
	b, _ := os.ReadFile(agentLog)
	os.WriteFile(filepath.Join(out, "p12-agent.log"), b, 0o644)
	if l, err := os.ReadFile("/proc/loadavg"); err == nil {
		f.LoadAvg = strings.Join(strings.Fields(string(l))[:3], " ")
	}
	j, _ := json.MarshalIndent(f, "", "  ")
	if err := os.WriteFile(filepath.Join(out, "p12.json"), j, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("P12: %s", j)
}

// waitReady waits for the ready line after the first skip of them in the
// output text returns, and gives the time from start until it was seen
// and the time the app itself measured.
func waitReady(t *testing.T, text func() string, skip int, start time.Time, d time.Duration) (seen, app float64) {
	t.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(5 * time.Millisecond) {
		m := readyLine.FindAllStringSubmatch(text(), -1)
		if len(m) > skip {
			seen = float64(time.Since(start).Microseconds()) / 1000
			app, _ = strconv.ParseFloat(m[skip][2], 64)
			return seen, app
		}
	}
	t.Fatalf("the window did not say it was ready within %v; output:\n%s", d, text())
	return 0, 0
}

// cpuMS is the CPU time used so far by the app pid and the WebKit
// processes on the test's bus.
func cpuMS(pid int, bus string) float64 {
	pids := []string{strconv.Itoa(pid)}
	for _, p := range webkitProcs(bus) {
		pids = append(pids, strings.Fields(p)[0])
	}
	var ticks float64
	for _, p := range pids {
		b, err := os.ReadFile(filepath.Join("/proc", p, "stat"))
		if err != nil {
			continue
		}
		s := string(b)
		f := strings.Fields(s[strings.LastIndexByte(s, ')')+1:])
		u, _ := strconv.ParseFloat(f[11], 64)
		k, _ := strconv.ParseFloat(f[12], 64)
		ticks += u + k
	}
	return ticks * 10 // USER_HZ is 100 on Linux
}

func readyCount(file string) int {
	b, _ := os.ReadFile(file)
	return len(readyLine.FindAllString(string(b), -1))
}

// idleCost samples the app and its WebKit processes, after a pause for
// the first screen to settle, with scripts/procstat.py; the sample is
// kept in out as p12-idle.txt.
func idleCost(t *testing.T, pid int, bus string, d time.Duration, out string) (secs, cpu, pss float64, procs []string) {
	t.Helper()
	time.Sleep(5 * time.Second)
	pids := []string{strconv.Itoa(pid)}
	for _, p := range webkitProcs(bus) {
		pids = append(pids, strings.Fields(p)[0])
		procs = append(procs, p)
	}
	slices.Sort(procs)
	args := append([]string{filepath.Join(repoRoot(t), "scripts", "procstat.py")}, pids...)
	b, err := exec.Command("python3", append(args, strconv.Itoa(int(d.Seconds())))...).Output()
	if err != nil {
		t.Fatalf("procstat: %v", err)
	}
	os.WriteFile(filepath.Join(out, "p12-idle.txt"), b, 0o644)
	var s struct {
		CPU     float64 `json:"cpu_percent"`
		PSS     float64 `json:"pss_mb"`
		Seconds float64 `json:"seconds"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatalf("procstat said %s: %v", b, err)
	}
	return s.Seconds, s.CPU, s.PSS, procs
}
