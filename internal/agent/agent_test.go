package agent

import (
	"context"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/notify"
	"github.com/workdiary/workdiary/internal/tracker"
)

// slowNotes is a notification server that takes as long as the test
// says to show a note.
type slowNotes struct {
	shown   chan string
	release chan struct{}
}

func (s *slowNotes) Show(n notify.Note, _ func(string)) error {
	s.shown <- n.Summary
	<-s.release
	return nil
}

func (s *slowNotes) Ask(context.Context, notify.Note) (string, error) { return notify.Closed, nil }

// Run returns only once the handlers of the tracker's events it started
// have ended (its caller closes the node next, which they use), and an
// event told after it returned starts none.
func TestRunWaitsForItsHandlers(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv("WORKDIARY_LOCAL_ONLY", "1")
	n, err := node.Open(t.TempDir(), "test", clocktest.New(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)))
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if _, err := n.CreateIdentity("Ada"); err != nil {
		t.Fatal(err)
	}
	notes := &slowNotes{shown: make(chan string, 4), release: make(chan struct{})}
	serving := make(chan struct{})
	a := &Agent{Node: n, Notes: notes, Serve: func(ctx context.Context) { close(serving); <-ctx.Done() }}
	ctx, cancel := context.WithCancel(context.Background())
	ran := make(chan error, 1)
	go func() { ran <- a.Run(ctx) }()
	<-serving

	a.tracked(tracker.Event{Kind: tracker.ScreenshotTaken, At: n.Clock.Now()})
	if got := <-notes.shown; got != "Screenshot taken" {
		t.Fatalf("the screenshot's notice is %q", got)
	}
	cancel()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-ran:
		t.Fatalf("Run returned (%v) while the screenshot's handler was still showing its notice", err)
	default:
	}
	close(notes.release)
	if err := <-ran; err != nil {
		t.Fatalf("Run: %v", err)
	}

	a.tracked(tracker.Event{Kind: tracker.ScreenshotTaken, At: n.Clock.Now()})
	a.handlers.Wait()
	select {
	case got := <-notes.shown:
		t.Errorf("an event after Run returned showed %q", got)
	default:
	}
}
