package input

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/workdiary/workdiary/internal/input/wire"
)

// stopGrace is how long a helper may take to exit after its stdin closed
// and it got SIGTERM before it is killed.
const stopGrace = 2 * time.Second

// runHelper runs one helper until it exits or ctx ends, feeding its counts
// into the counter. ready reports whether the helper got as far as
// running its hook; err says why it ended (nil only when ctx ended).
func (s *Source) runHelper(ctx context.Context, path, display string) (ready bool, err error) {
	cmd := exec.Command(path)
	noConsole(cmd)
	cmd.Env = append(withoutDisplay(os.Environ()), "DISPLAY="+display)
	stderr := &tail{max: 4 << 10}
	cmd.Stderr = stderr
	// The helper exits when this pipe closes, which also happens when we
	// die for any reason: no orphaned helpers.
	stdin, err := cmd.StdinPipe()
	if err != nil {
		return false, fmt.Errorf("start input helper: %w", err)
	}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return false, fmt.Errorf("start input helper: %w", err)
	}
	s.setState(Starting, nil)
	if err := cmd.Start(); err != nil {
		return false, fmt.Errorf("start input helper %s (build it with `make build`): %w", path, err)
	}
	s.mu.Lock()
	s.status.PID = cmd.Process.Pid
	s.mu.Unlock()

	stopOnCancel := context.AfterFunc(ctx, func() { stop(cmd, stdin) })
	defer stopOnCancel()
	var isReady, timedOut atomic.Bool
	readyTimer := time.AfterFunc(s.readyTimeout, func() {
		if !isReady.Load() {
			timedOut.Store(true)
			_ = cmd.Process.Kill()
		}
	})
	defer readyTimer.Stop()

	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		r, err := wire.Parse(sc.Bytes())
		if err != nil {
			continue // a stray line (C library debug output) must not stop counting
		}
		if r.Ready && !isReady.Swap(true) {
			s.setState(Running, nil)
		}
		if c := r.Counts(); c.Any() {
			s.mu.Lock()
			s.counter.Add(s.clock.Now(), c)
			s.mu.Unlock()
		}
	}
	if sc.Err() != nil {
		// An overlong line stops the scanner; a helper left writing into a
		// pipe nobody reads would block forever and so would Wait.
		_ = cmd.Process.Kill()
	}
	stdin.Close()
	waitErr := cmd.Wait()
	if ctx.Err() != nil {
		return isReady.Load(), nil
	}
	return isReady.Load(), exitError(cmd, waitErr, stderr.String(), display, isReady.Load(), timedOut.Load(), s.readyTimeout)
}

// exitError explains why a helper ended. gohook's C constructor crashes
// the helper before main when the display cannot be opened, so a crash
// whose stderr says so is "no display" just like the helper's own exit
// status for it.
func exitError(cmd *exec.Cmd, waitErr error, stderr, display string, ready, timedOut bool, readyTimeout time.Duration) error {
	how := "exited"
	if waitErr != nil {
		how = waitErr.Error()
	}
	if stderr != "" {
		how += ": " + stderr
	}
	code := -1
	if cmd.ProcessState != nil {
		code = cmd.ProcessState.ExitCode()
	}
	switch {
	case code == wire.ExitNoDisplay || (!ready && strings.Contains(stderr, "XOpenDisplay failure")):
		return fmt.Errorf("%w: the input helper cannot open DISPLAY=%s (%s)", ErrNoDisplay, display, how)
	case code == wire.ExitUnsupported:
		return fmt.Errorf("%w (%s)", ErrUnsupported, how)
	case timedOut:
		return fmt.Errorf("input helper was not ready within %s and was stopped (%s)", readyTimeout, how)
	case !ready:
		return fmt.Errorf("input helper died before it was ready (%s)", how)
	}
	return fmt.Errorf("input helper died (%s)", how)
}

// stop asks the helper to exit (EOF on stdin, SIGTERM) and kills it if it
// has not after stopGrace.
func stop(cmd *exec.Cmd, stdin interface{ Close() error }) {
	_ = stdin.Close()
	_ = cmd.Process.Signal(syscall.SIGTERM)
	time.AfterFunc(stopGrace, func() { _ = cmd.Process.Kill() })
}

func withoutDisplay(env []string) []string {
	out := env[:0:0]
	for _, kv := range env {
		if !strings.HasPrefix(kv, "DISPLAY=") {
			out = append(out, kv)
		}
	}
	return out
}

// tail keeps the last max bytes written to it: enough of the helper's
// stderr to explain a failure without growing if it chatters all day.
type tail struct {
	mu  sync.Mutex
	max int
	buf []byte
}

func (t *tail) Write(p []byte) (int, error) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.buf = append(t.buf, p...)
	if over := len(t.buf) - t.max; over > 0 {
		t.buf = append(t.buf[:0], t.buf[over:]...)
	}
	return len(p), nil
}

func (t *tail) String() string {
	t.mu.Lock()
	defer t.mu.Unlock()
	return strings.Join(strings.Fields(string(bytes.TrimSpace(t.buf))), " ")
}
