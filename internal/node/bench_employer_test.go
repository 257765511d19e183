package node_test

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"runtime/pprof"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/displaytest"
	"github.com/workdiary/workdiary/internal/node"
)

// P8 measures the employer as its own process, as it runs for real
// (`workdiary serve` or the desktop app): the test binary re-runs itself
// in employer mode and the benchmark reads that process's peak RSS from
// /proc, so the hundred contractors' stores and hosts do not count.
const benchEmployerEnv = "WORKDIARY_BENCH_EMPLOYER"

func TestMain(m *testing.M) {
	if home := os.Getenv(benchEmployerEnv); home != "" {
		if err := runBenchEmployer(home, os.Stdin, os.Stdout); err != nil {
			fmt.Fprintln(os.Stderr, "bench employer:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	if dir := os.Getenv(benchYearMeasureEnv); dir != "" {
		f, err := measureYear(dir)
		if err != nil {
			fmt.Fprintln(os.Stderr, "bench year:", err)
			os.Exit(1)
		}
		_ = json.NewEncoder(os.Stdout).Encode(f)
		os.Exit(0)
	}
	code := m.Run()
	displaytest.Stop()
	os.Exit(code)
}

// runBenchEmployer is the employer process: a node on loopback at the fake
// benchStart, which answers one command per line on in:
//
//	offer N          N invite codes, one JSON array
//	advance RFC3339  moves its clock to that time
//	status ID…       LogStatus of each contract, one JSON array
//	quit             closes the node
func runBenchEmployer(home string, in io.Reader, out io.Writer) error {
	clk := clocktest.New(benchStart)
	n, err := node.Open(home, "bench", clk)
	if err != nil {
		return err
	}
	defer n.Close()
	if _, err := n.CreateIdentity("Erin"); err != nil {
		return err
	}
	if err := n.StartNetwork(context.Background(), loopback); err != nil {
		return err
	}
	if dir := os.Getenv(benchEmployerProfileEnv); dir != "" {
		stop := make(chan struct{})
		defer close(stop)
		go heapAtPeak(filepath.Join(dir, "p8-employer-heap.pprof"), stop)
	}
	enc := json.NewEncoder(out)
	lines := bufio.NewScanner(in)
	for lines.Scan() {
		cmd, args, _ := strings.Cut(lines.Text(), " ")
		switch cmd {
		case "offer":
			var count int
			fmt.Sscan(args, &count)
			codes := make([]string, count)
			for i := range codes {
				o, err := n.OfferContract(node.OfferParams{Title: fmt.Sprintf("Bench %d", i), Rate: "35.00", Currency: "USD", Screenshots: 1})
				if err != nil {
					return err
				}
				codes[i] = o.Invite
			}
			// As an agency's node starts with its contracts: the host's
			// limits follow them.
			if err := n.RestartNetworkSamePort(context.Background()); err != nil {
				return err
			}
			err = enc.Encode(codes)
		case "advance":
			t, perr := time.Parse(time.RFC3339, args)
			if perr != nil {
				return perr
			}
			if t.After(clk.Now()) {
				clk.Advance(t.Sub(clk.Now()))
			}
			err = enc.Encode("ok")
		case "status":
			var sts []node.LogStatus
			for _, id := range strings.Fields(args) {
				st, serr := n.LogStatus(id)
				if serr != nil {
					return serr
				}
				sts = append(sts, st)
			}
			err = enc.Encode(sts)
		case "quit":
			return nil
		default:
			return fmt.Errorf("unknown command %q", cmd)
		}
		if err != nil {
			return err
		}
	}
	return lines.Err()
}

// benchEmployerProfileEnv names a folder where the employer process
// keeps a heap profile taken at its peak resident memory.
const benchEmployerProfileEnv = "WORKDIARY_BENCH_P8_PROFILE"

// heapAtPeak writes a heap profile to path each time the process's
// resident memory, read twice a second, reaches a new peak, so that what
// is left at the end is the heap of the busiest moment.
func heapAtPeak(path string, stop <-chan struct{}) {
	t := time.NewTicker(500 * time.Millisecond)
	defer t.Stop()
	peak := 0.0
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		if rss := procStatusMB("VmRSS"); rss > peak*1.02 {
			peak = rss
			if f, err := os.Create(path); err == nil {
				_ = pprof.WriteHeapProfile(f)
				f.Close()
			}
			writeMemFigures(strings.TrimSuffix(path, "-heap.pprof")+"-mem.txt", rss)
		}
	}
}

// writeMemFigures writes where the resident memory at rss MB went: the
// Go runtime's accounts (heap in use, heap kept but free, stacks) and the
// kernel's (anonymous against file-backed pages, i.e. mapped tables).
func writeMemFigures(path string, rss float64) {
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	mb := func(v uint64) float64 { return float64(v) / (1 << 20) }
	text := fmt.Sprintf("rss %.0f MB: heap in use %.0f MB, heap free not returned %.0f MB, stacks %.0f MB, goroutines %d, go runtime total %.0f MB\n",
		rss, mb(m.HeapInuse), mb(m.HeapIdle-m.HeapReleased), mb(m.StackInuse), runtime.NumGoroutine(), mb(m.Sys))
	if b, err := os.ReadFile("/proc/self/smaps_rollup"); err == nil {
		text += string(b)
	}
	_ = os.WriteFile(path, []byte(text), 0o644)
}

// benchEmployer is the parent's handle on an employer process.
type benchEmployer struct {
	cmd *exec.Cmd
	in  io.WriteCloser
	out *json.Decoder
}

func startBenchEmployer(b *testing.B) *benchEmployer {
	b.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), benchEmployerEnv+"="+b.TempDir())
	cmd.Stderr = os.Stderr
	in, err := cmd.StdinPipe()
	if err != nil {
		b.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		b.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	e := &benchEmployer{cmd: cmd, in: in, out: json.NewDecoder(out)}
	b.Cleanup(e.quit)
	return e
}

// ask sends one command and decodes its answer into v.
func (e *benchEmployer) ask(b *testing.B, v any, format string, args ...any) {
	b.Helper()
	if _, err := fmt.Fprintf(e.in, format+"\n", args...); err != nil {
		b.Fatalf("employer process: %v", err)
	}
	if err := e.out.Decode(v); err != nil {
		b.Fatalf("employer process answer: %v", err)
	}
}

// peakRSSMB is the employer process's VmHWM so far.
func (e *benchEmployer) peakRSSMB() float64 {
	return procStatusMBOf(e.cmd.Process.Pid, "VmHWM")
}

func (e *benchEmployer) quit() {
	if e.cmd.ProcessState != nil {
		return
	}
	fmt.Fprintln(e.in, "quit")
	e.in.Close()
	done := make(chan error, 1)
	go func() { done <- e.cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		_ = e.cmd.Process.Kill()
		<-done
	}
}
