package node_test

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/displaytest"
	"github.com/workdiary/workdiary/internal/input"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
	"github.com/workdiary/workdiary/internal/tracker"
)

// A session lives in its owner: without one, track.start is refused
// rather than run in a command that closes the folder at once.
func TestTrackStartNeedsAnOwner(t *testing.T) {
	_, err := node.OpTrackStart.Do(context.Background(), t.TempDir(), "test", node.TrackParams{Contract: "x", Memo: "m"})
	if !errors.Is(err, owner.ErrNoOwner) {
		t.Fatalf("track.start without an owner: err = %v; want ErrNoOwner", err)
	}
}

// heard collects the tracking events a window would be told.
type heard struct {
	mu  sync.Mutex
	evs []tracker.Event
}

func (h *heard) tell(ev tracker.Event) { h.mu.Lock(); h.evs = append(h.evs, ev); h.mu.Unlock() }

func (h *heard) kinds() []tracker.EventKind {
	h.mu.Lock()
	defer h.mu.Unlock()
	var out []tracker.EventKind
	for _, ev := range h.evs {
		if ev.Kind == node.TrackStarted || ev.Kind == node.TrackStopped {
			out = append(out, ev.Kind)
		}
	}
	return out
}

// The window's session and the command line's agree: `track status` and
// `track stop` through the control socket see and end a session the window
// started, a second start is refused naming it, and a session started
// through the socket is told to the window and ends by itself after For.
func TestWindowAndCommandLineShareTheSession(t *testing.T) {
	t.Setenv("DISPLAY", displaytest.Display(t))
	helper := filepath.Join(t.TempDir(), input.HelperName)
	if out, err := exec.Command("go", "build", "-o", helper, "github.com/workdiary/workdiary/cmd/workdiary-input").CombinedOutput(); err != nil {
		t.Fatalf("go build workdiary-input: %v\n%s", err, out)
	}
	t.Setenv(node.EnvInputHelper, helper)
	con, cid := contractorNode(t, "", false)
	clk := con.Clock.(interface{ Advance(time.Duration) })
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	go con.Serve(ctx)
	var window heard
	con.OnTracking(window.tell)

	// The window's Start, as app.TrackerAPI does it.
	s, err := con.StartTracking(ctx, node.TrackParams{Contract: cid, Memo: "window"}, nil, window.tell, nil)
	if err != nil {
		t.Fatal(err)
	}
	if r, err := node.OpTrackStatus.Do(ctx, con.Home, "test", node.TrackQuery{}); err != nil || !r.Running || r.Memo != "window" || r.Contract != cid {
		t.Fatalf("track status through the socket = %+v, %v; want the window's session", r, err)
	}
	_, err = node.OpTrackStart.Do(ctx, con.Home, "test", node.TrackParams{Contract: cid, Memo: "again"})
	if !errors.Is(err, node.ErrAlreadyTracking) || !strings.Contains(err.Error(), `"window"`) {
		t.Fatalf("a second start through the socket: err = %v; want a refusal naming the window's session", err)
	}
	if r, err := node.OpTrackStop.Do(ctx, con.Home, "test", node.TrackQuery{}); err != nil || !r.Stopped || r.Running {
		t.Fatalf("track stop through the socket = %+v, %v; want the window's session stopped", r, err)
	}
	if err := s.Wait(); err != nil {
		t.Fatalf("the window's session ended with %v", err)
	}

	// A start through the socket reaches the window and ends after For.
	r, err := node.OpTrackStart.Do(ctx, con.Home, "test", node.TrackParams{Contract: cid, Memo: "command line", For: 5 * time.Minute})
	if err != nil || !r.Running || r.Memo != "command line" || !r.Ends.Equal(r.Started.Add(5*time.Minute)) {
		t.Fatalf("track start through the socket = %+v, %v; want it running, ending in 5 minutes", r, err)
	}
	clk.Advance(5 * time.Minute)
	deadline := time.Now().Add(10 * time.Second)
	for con.Tracking() != nil {
		if time.Now().After(deadline) {
			t.Fatal("a session of 5 minutes still runs after its clock moved 5 minutes")
		}
		time.Sleep(20 * time.Millisecond)
	}
	want := []tracker.EventKind{node.TrackStarted, node.TrackStopped, node.TrackStarted, node.TrackStopped}
	if got := window.kinds(); !slices.Equal(got, want) {
		t.Errorf("the window heard %v; want %v", got, want)
	}
	if r, err := con.StopTracking(node.TrackQuery{}); err != nil || r.Stopped {
		t.Errorf("the window's Stop with nothing running = %+v, %v; want nothing stopped", r, err)
	}
}
