//go:build linux

package notify_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/notify"
	"github.com/workdiary/workdiary/internal/notify/notifytest"
)

func connect(t *testing.T) (*notify.Notifier, *notifytest.Server) { return notifytest.Connected(t) }

var question = notify.Note{Summary: "You were idle", Body: "Keep it?",
	Actions: []notify.Action{{Key: "keep", Label: "Keep"}, {Key: "discard", Label: "Discard"}}}

// Ask returns the action chosen on the server, and Closed when the note
// is dismissed without one.
func TestAsk(t *testing.T) {
	n, srv := connect(t)
	for _, c := range []struct {
		answer func(id uint32)
		want   string
	}{
		{func(id uint32) { srv.Choose(t, id, "keep") }, "keep"},
		{func(id uint32) { srv.Choose(t, id, "discard") }, "discard"},
		{func(id uint32) { srv.Dismiss(t, id) }, notify.Closed},
	} {
		before := len(srv.All())
		got := make(chan string, 1)
		go func() {
			key, err := n.Ask(context.Background(), question)
			if err != nil {
				t.Error(err)
			}
			got <- key
		}()
		var note notifytest.Note
		for deadline := time.Now().Add(5 * time.Second); len(srv.All()) == before; time.Sleep(20 * time.Millisecond) {
			if time.Now().After(deadline) {
				t.Fatal("the question never reached the server")
			}
		}
		note = srv.All()[before]
		if !note.HasAction("keep") || !note.HasAction("discard") || note.Summary != question.Summary {
			t.Fatalf("server got %+v; want the question with Keep and Discard", note)
		}
		c.answer(note.ID)
		select {
		case key := <-got:
			if key != c.want {
				t.Errorf("Ask = %q, want %q", key, c.want)
			}
		case <-time.After(5 * time.Second):
			t.Fatalf("Ask did not return after the answer %q", c.want)
		}
	}
}

// A question whose asker gives up is withdrawn from the screen.
func TestAskWithdrawn(t *testing.T) {
	n, srv := connect(t)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan string, 1)
	go func() { key, _ := n.Ask(ctx, question); done <- key }()
	note := srv.Wait(t, "idle", 5*time.Second)
	cancel()
	if key := <-done; key != notify.Closed {
		t.Fatalf("Ask after cancel = %q, want Closed", key)
	}
	for deadline := time.Now().Add(5 * time.Second); !srv.All()[note.ID-1].Closed; time.Sleep(20 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the note was not withdrawn")
		}
	}
}

// Show's callback hears an action; another program's answers are not ours.
func TestShowAction(t *testing.T) {
	n, srv := connect(t)
	got := make(chan string, 1)
	if err := n.Show(notify.Note{Summary: "Screenshot taken", Actions: []notify.Action{{Key: "open", Label: "Open"}}},
		func(key string) { got <- key }); err != nil {
		t.Fatal(err)
	}
	note := srv.Wait(t, "Screenshot", 5*time.Second)
	srv.Choose(t, note.ID+100, "open") // someone else's note
	srv.Choose(t, note.ID, "open")
	if key := <-got; key != "open" {
		t.Fatalf("callback got %q, want open", key)
	}
	select {
	case key := <-got:
		t.Fatalf("callback called again with %q: want one answer per note", key)
	case <-time.After(300 * time.Millisecond):
	}
}

// Without a session bus there are no notifications, and Connect says so.
func TestNoBus(t *testing.T) {
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus")
	if _, err := notify.Connect("Workdiary", ""); !errors.Is(err, notify.ErrUnsupported) {
		t.Fatalf("Connect without a bus: %v; want ErrUnsupported", err)
	}
}
