//go:build e2e && linux

package e2e

import (
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/store"
)

// The employer's disk is full when a contractor syncs: the contractor's
// sync fails and says why, the employer's copy keeps nothing of the
// refused batch (same seq, no stray or half-written image), the employer
// keeps serving, and once space is back the same sync completes with the
// whole log: the same head hash, every image.
func TestDiskFullEmployerSync(t *testing.T) {
	display := requireDisplay(t)
	busyScreen(t, display)
	if runsInMountNamespace(t) {
		return
	}
	disk := mountSmallFS(t, 64<<20)
	emp := dataFolder{t, filepath.Join(disk.Dir, "home"), display}
	con := dataFolder{t, t.TempDir(), display}
	var srv *serveProcess
	synced := map[string]logPosition{}

	// Each round is a new contract: tracked time cannot be added under
	// segments the last round approved.
	for round := range diskSoakRounds() {
		contract := diskContract(emp, con, fmt.Sprintf("Disk %d", round), 3)
		if srv == nil {
			srv = serveFolder(emp)
		}
		// An acceptance the employer's full disk refuses is still queued:
		// it is delivered once there is room.
		disk.FillTo(0)
		out := con.refused("sync", "--contract", contract)
		mustMention(t, "acceptance to an employer whose disk is full", out, "FAILED", "employer's disk is full")
		disk.Empty()
		con.must("sync", "--contract", contract)
		if out, err := con.track(contract, fmt.Sprintf("round %d", round), "20m"); err != nil {
			t.Fatalf("track: %v\n%s", err, out)
		}
		con.must("approve", "--contract", contract, "--all")
		want := con.log(contract)
		held := emp.log(contract)
		heldImages := map[string]bool{}
		for h := range emp.images() {
			heldImages[h] = true
		}

		for _, full := range []struct {
			name string
			free int64
		}{{"full to the last byte", 0}, {"below the reserve", store.MinFreeSpace / 2}} {
			disk.FillTo(full.free)
			out = con.refused("sync", "--contract", contract)
			mustMention(t, "sync to an employer whose disk is "+full.name, out, "FAILED", "refused by the other side", "employer's disk is full")
			if got := emp.log(contract); got != held {
				t.Fatalf("round %d, disk %s: the employer's log moved from %+v to %+v", round, full.name, held, got)
			}
			emp.imagesMatch(heldImages)
			srv.alive()
		}

		disk.Empty()
		con.must("sync", "--contract", contract)
		if got := emp.log(contract); got != want {
			t.Fatalf("round %d: with space back the employer's log is at %+v, the contractor's at %+v", round, got, want)
		}
		var approved []diaryEntry
		for _, s := range con.diary() {
			if s.State != "recorded" {
				approved = append(approved, s)
			}
		}
		emp.imagesMatch(diaryImages(approved, false))
		synced[contract] = want
	}

	t.Logf("the employer's serve said:\n%s", srv.stop())
	// Closed normally, the employer's folder opens with the whole log.
	for contract, want := range synced {
		if got := emp.log(contract); got != want {
			t.Fatalf("after serve stopped the employer's log of %s is at %+v, want %+v", contract, got, want)
		}
	}
}

// serveProcess is a `workdiary serve` the test started.
type serveProcess struct {
	f    dataFolder
	cmd  *exec.Cmd
	done chan struct{} // closed when the process has exited
	mu   sync.Mutex
	out  strings.Builder
}

func (s *serveProcess) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.Write(p)
}

func (s *serveProcess) output() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.out.String()
}

// serveFolder runs the folder's node headless until the test stops it.
// It syncs only when asked, so that every sync is one the test starts.
func serveFolder(f dataFolder) *serveProcess {
	f.t.Helper()
	s := &serveProcess{f: f, done: make(chan struct{})}
	s.cmd = exec.Command(binary(f.t, "workdiary"), "--home", f.home, "serve", "--every", "1h")
	s.cmd.Stdout, s.cmd.Stderr = s, s
	if err := s.cmd.Start(); err != nil {
		f.t.Fatal(err)
	}
	go func() { _ = s.cmd.Wait(); close(s.done) }()
	f.t.Cleanup(func() {
		_ = s.cmd.Process.Kill()
		<-s.done
	})
	for deadline := time.Now().Add(30 * time.Second); !strings.Contains(s.output(), "Serving"); time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			f.t.Fatalf("workdiary serve did not start within 30s:\n%s", s.output())
		}
	}
	return s
}

// alive fails the test if serve has exited or crashed.
func (s *serveProcess) alive() {
	s.f.t.Helper()
	noCrashIn(s.f.t, "workdiary serve", s.output())
	select {
	case <-s.done:
		s.f.t.Fatalf("workdiary serve exited (%v):\n%s", s.cmd.ProcessState, s.output())
	default:
	}
}

// stop ends serve as Ctrl-C would and returns what it printed.
func (s *serveProcess) stop() string {
	s.f.t.Helper()
	if err := s.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		s.f.t.Fatal(err)
	}
	select {
	case <-s.done:
	case <-time.After(20 * time.Second):
		s.f.t.Fatalf("workdiary serve did not stop within 20s of SIGTERM:\n%s", s.output())
	}
	out := s.output()
	noCrashIn(s.f.t, "workdiary serve", out)
	if !s.cmd.ProcessState.Success() || !strings.Contains(out, "Stopped.") {
		s.f.t.Errorf("workdiary serve did not stop cleanly (%v):\n%s", s.cmd.ProcessState, out)
	}
	return out
}
