//go:build e2e

package e2e

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lockedBuffer collects a running program's output while the test reads
// it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// proc is a program the test runs in the background. Its output is kept
// as it came (out) and by stream, for programs whose stdout is data.
type proc struct {
	name           string
	cmd            *exec.Cmd
	out            *lockedBuffer
	stdout, stderr *lockedBuffer
	done           chan struct{} // closed once the process has exited
	err            error         // how it exited, once done is closed
}

// startProc starts path with args and extra environment; the test's
// cleanup kills it if it still runs.
func startProc(t *testing.T, env []string, path string, args ...string) *proc {
	t.Helper()
	p := &proc{name: strings.Join(append([]string{filepath.Base(path)}, args...), " "), cmd: exec.Command(path, args...),
		out: &lockedBuffer{}, stdout: &lockedBuffer{}, stderr: &lockedBuffer{}, done: make(chan struct{})}
	p.cmd.Env = append(os.Environ(), env...)
	p.cmd.Stdout, p.cmd.Stderr = io.MultiWriter(p.out, p.stdout), io.MultiWriter(p.out, p.stderr)
	// A helper the program started (the tracker's input counter) may hold
	// the output open for a moment after a kill; do not wait on it long.
	p.cmd.WaitDelay = 5 * time.Second
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", p.name, err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.done) }()
	t.Cleanup(p.kill9)
	return p
}

// startWorkdiary starts `workdiary --home HOME args…` with extra
// environment.
func startWorkdiary(t *testing.T, env []string, home string, args ...string) *proc {
	t.Helper()
	return startProc(t, env, binary(t, "workdiary"), append([]string{"--home", home}, args...)...)
}

// startServe runs a data folder's node headless, on listen (a multiaddr;
// empty for the port kept in the folder), and waits until it serves. It
// syncs by itself only once an hour, so every sync is one the test starts.
func startServe(t *testing.T, home, listen string) *proc {
	t.Helper()
	return startServeEnv(t, nil, home, listen)
}

// startServeEnv is startServe with extra environment (a demo clock).
func startServeEnv(t *testing.T, env []string, home, listen string) *proc {
	t.Helper()
	args := []string{"serve"}
	if listen != "" {
		args = append(args, "--listen", listen)
	}
	p := startWorkdiary(t, env, home, append(args, "--every", "1h")...)
	if !p.waitOutput("Serving", 30*time.Second) {
		t.Fatalf("%s did not start within 30s; output:\n%s", p.name, p.hungOutput())
	}
	return p
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// wait waits for the process to end by itself and says how it did.
func (p *proc) wait() error {
	<-p.done
	return p.err
}

// endsWithin waits for the process to end by itself; false if it still
// runs after d.
func (p *proc) endsWithin(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		return false
	}
}

// kill9 kills the process with SIGKILL (no chance to clean up) and waits
// until it is gone.
func (p *proc) kill9() {
	if !p.exited() {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-p.done
}

// hungOutput is the output of a process that hangs, with the stacks of
// its goroutines: SIGQUIT makes a Go program print them and exit.
func (p *proc) hungOutput() string {
	if !p.exited() {
		_ = p.cmd.Process.Signal(syscall.SIGQUIT)
		p.endsWithin(5 * time.Second)
	}
	p.kill9()
	return p.out.String()
}

// stop asks the process to end (SIGTERM) and fails the test if it does not
// within d.
func (p *proc) stop(t *testing.T, d time.Duration) {
	t.Helper()
	if !p.exited() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
	}
	if !p.endsWithin(d) {
		t.Fatalf("%s did not stop within %v of SIGTERM; output:\n%s", p.name, d, p.hungOutput())
	}
}

// waitOutput polls the output for text until the deadline; false if the
// text did not appear or the process ended first without it.
func (p *proc) waitOutput(text string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if strings.Contains(p.out.String(), text) {
			return true
		}
		if p.exited() {
			return strings.Contains(p.out.String(), text)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}
