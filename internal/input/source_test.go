//go:build unix

// The helper is an X11 program driven through xdotool; these tests run
// where it does.

package input_test

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/displaytest"
	"github.com/workdiary/workdiary/internal/input"
)

func TestMain(m *testing.M) {
	code := m.Run()
	displaytest.Stop()
	os.Exit(code)
}

var t0 = time.Date(2026, 3, 2, 9, 0, 10, 0, time.UTC)

// buildHelper builds cmd/workdiary-input into a temporary folder.
func buildHelper(t *testing.T, env ...string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), input.HelperName)
	cmd := exec.Command("go", "build", "-o", out, "github.com/workdiary/workdiary/cmd/workdiary-input")
	cmd.Env = append(os.Environ(), env...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build workdiary-input: %v\n%s", err, b)
	}
	return out
}

// start runs src in the background; the returned func cancels it and
// returns Run's result.
func start(t *testing.T, src *input.Source) (stop func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- src.Run(ctx) }()
	stopped := false
	stop = func() error {
		t.Helper()
		cancel()
		if stopped {
			return nil
		}
		stopped = true
		select {
		case err := <-done:
			return err
		case <-time.After(5 * time.Second):
			t.Fatal("Run did not return within 5s of cancel")
			return nil
		}
	}
	t.Cleanup(func() { stop() })
	return stop
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func xdotool(t *testing.T, args ...string) string {
	t.Helper()
	out, err := exec.Command("xdotool", args...).CombinedOutput()
	if err != nil {
		t.Fatalf("xdotool %s: %v: %s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// openTarget opens an xterm, focuses it and puts the pointer on it, so
// that injected keys and clicks land in a real client window.
func openTarget(t *testing.T) {
	t.Helper()
	term := exec.Command("xterm", "-T", "wd-input-test", "-e", "sleep", "600")
	if err := term.Start(); err != nil {
		t.Fatalf("start xterm: %v", err)
	}
	t.Cleanup(func() { _ = term.Process.Kill(); _ = term.Wait() })
	wid := strings.Fields(xdotool(t, "search", "--sync", "--name", "wd-input-test"))[0]
	xdotool(t, "windowactivate", "--sync", wid)
	xdotool(t, "mousemove", "--window", wid, "--sync", "60", "60")
}

// inject types keys key presses, clicks button-1 clicks and scrolls wheel
// steps with wheel (X button 4 is up, 5 is down).
func inject(t *testing.T, keys, clicks, scrolls int, wheel string) {
	t.Helper()
	letters := []string{"key", "--delay", "50"}
	for i := range keys {
		letters = append(letters, string(rune('a'+i)))
	}
	xdotool(t, letters...)
	xdotool(t, "click", "--repeat", itoa(clicks), "--delay", "80", "1")
	xdotool(t, "click", "--repeat", itoa(scrolls), "--delay", "80", wheel)
}

func itoa(n int) string { return string(rune('0' + n)) }

// expectCounts waits until the current minute holds at least want, then
// waits out several more helper reports so that an input counted twice
// (a wheel step as a click, say) shows up before comparing exactly.
func expectCounts(t *testing.T, src *input.Source, now time.Time, keys, clicks, scrolls int) {
	t.Helper()
	waitFor(t, "input counts to arrive", func() bool {
		m := src.Current(now)
		return m.Keys >= keys && m.Clicks >= clicks && m.Scrolls >= scrolls
	})
	time.Sleep(800 * time.Millisecond)
	m := src.Current(now)
	if m.Keys != keys || m.Clicks != clicks || m.Scrolls != scrolls {
		t.Fatalf("counted keys=%d clicks=%d scrolls=%d, want keys=%d clicks=%d scrolls=%d",
			m.Keys, m.Clicks, m.Scrolls, keys, clicks, scrolls)
	}
}

func TestCountsRealInputAndSurvivesKill(t *testing.T) {
	display := displaytest.Display(t)
	helper := buildHelper(t)
	openTarget(t)

	// The fake clock stands still, so every input lands in one minute and
	// the counts can be compared exactly.
	clk := clocktest.New(t0)
	src := input.New(helper, clk, input.WithDisplay(display), input.WithBackoff(100*time.Millisecond, time.Second))
	stop := start(t, src)
	waitFor(t, "the helper to be ready", func() bool { return src.Status().State == input.Running })

	if m := src.Current(clk.Now()); m.Active() {
		t.Fatalf("input counted before any was injected: %+v", m)
	}
	xdotool(t, "mousemove_relative", "--sync", "5", "5") // stays inside the xterm
	waitFor(t, "the pointer move to be counted", func() bool { return src.Current(clk.Now()).Moved })
	inject(t, 7, 3, 2, "4")
	expectCounts(t, src, clk.Now(), 7, 3, 2)

	first := src.Status().PID
	if err := syscall.Kill(first, syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 helper %d: %v", first, err)
	}
	waitFor(t, "a restarted helper to be ready", func() bool {
		st := src.Status()
		return st.State == input.Running && st.PID != first && st.Restarts == 1
	})
	if err := src.Status().Err; err == nil || !strings.Contains(err.Error(), "killed") {
		t.Fatalf("Status().Err = %v, want the reason the helper died (killed)", err)
	}

	inject(t, 2, 1, 1, "5")
	expectCounts(t, src, clk.Now(), 9, 4, 3)

	clk.Advance(time.Minute)
	got := src.Flush(clk.Now())
	want := []activity.Minute{{Start: t0.Truncate(time.Minute), Keys: 9, Clicks: 4, Scrolls: 3, Moved: true}}
	if len(got) != 1 || got[0] != want[0] {
		t.Fatalf("Flush = %+v, want %+v", got, want)
	}
	if last := src.LastInput(); !last.Equal(t0) {
		t.Fatalf("LastInput = %s, want %s (arrival time on the injected clock)", last, t0)
	}

	second := src.Status().PID
	if err := stop(); err != nil {
		t.Fatalf("Run after cancel = %v, want nil", err)
	}
	if err := syscall.Kill(second, 0); !errors.Is(err, syscall.ESRCH) {
		t.Fatalf("helper %d still exists after Run returned (kill -0: %v)", second, err)
	}
	if st := src.Status(); st.State != input.Stopped || st.PID != 0 {
		t.Fatalf("Status after stop = %+v, want stopped without a PID", st)
	}
}

// TestNoDisplay covers both ways a display can be missing: DISPLAY empty
// (caught before starting anything) and DISPLAY naming a display that
// does not exist, where gohook's constructor crashes the helper before
// its main runs. Either way Run must say "no display", fast, and this
// process must survive.
func TestNoDisplay(t *testing.T) {
	helper := buildHelper(t)
	for _, display := range []string{"", ":4711"} {
		t.Run("DISPLAY="+display, func(t *testing.T) {
			src := input.New(helper, clocktest.New(t0), input.WithDisplay(display), input.WithBackoff(10*time.Millisecond, 10*time.Millisecond))
			began := time.Now()
			err := src.Run(context.Background())
			if !errors.Is(err, input.ErrNoDisplay) {
				t.Fatalf("Run = %v, want ErrNoDisplay", err)
			}
			if took := time.Since(began); took > 5*time.Second {
				t.Fatalf("Run took %v to report no display, want under 5s", took)
			}
			if st := src.Status(); st.State != input.NoDisplay || !errors.Is(st.Err, input.ErrNoDisplay) {
				t.Fatalf("Status = %+v, want no display", st)
			}
			if display != "" && !strings.Contains(err.Error(), display) {
				t.Fatalf("Run = %q, want the display name %s in the message", err, display)
			}
		})
	}
}

func TestHelperFailures(t *testing.T) {
	dir := t.TempDir()
	script := func(name, body string) string {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, []byte("#!/bin/sh\n"+body+"\n"), 0o755); err != nil {
			t.Fatal(err)
		}
		return p
	}
	tests := []struct {
		name      string
		helper    string
		wantIs    error
		wantText  []string
		wantState input.State
	}{
		{
			name:      "crash before ready",
			helper:    script("crash", `echo "boom: cannot grab keyboard" >&2; kill -SEGV $$`),
			wantText:  []string{"3 times", "before it was ready", "segmentation fault", "boom: cannot grab keyboard"},
			wantState: input.Failed,
		},
		{
			name:      "never ready",
			helper:    script("silent", `echo '{"keys":1}'; exec sleep 60`),
			wantText:  []string{"not ready within 300ms"},
			wantState: input.Failed,
		},
		{
			name:      "missing helper",
			helper:    filepath.Join(dir, "does-not-exist"),
			wantIs:    os.ErrNotExist,
			wantText:  []string{"make build"},
			wantState: input.Failed,
		},
		{
			name:      "helper built without cgo",
			helper:    buildHelper(t, "CGO_ENABLED=0"),
			wantIs:    input.ErrUnsupported,
			wantState: input.Failed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := input.New(tt.helper, clocktest.New(t0), input.WithDisplay(":0"),
				input.WithBackoff(10*time.Millisecond, 20*time.Millisecond), input.WithReadyTimeout(300*time.Millisecond))
			err := src.Run(context.Background())
			if err == nil {
				t.Fatal("Run = nil, want an error")
			}
			if tt.wantIs != nil && !errors.Is(err, tt.wantIs) {
				t.Fatalf("Run = %v, want errors.Is %v", err, tt.wantIs)
			}
			for _, s := range tt.wantText {
				if !strings.Contains(err.Error(), s) {
					t.Errorf("Run = %q, want it to mention %q", err, s)
				}
			}
			if st := src.Status(); st.State != tt.wantState {
				t.Errorf("Status = %+v, want state %v", st, tt.wantState)
			}
		})
	}
}

func TestDefaultHelperPath(t *testing.T) {
	p, err := input.DefaultHelperPath()
	if err != nil {
		t.Fatal(err)
	}
	exe, _ := os.Executable()
	if want := filepath.Join(filepath.Dir(exe), "workdiary-input"); p != want {
		t.Fatalf("DefaultHelperPath = %s, want %s", p, want)
	}
}
