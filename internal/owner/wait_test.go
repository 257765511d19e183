package owner_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/owner"
)

// waitLog records what AcquireOwner said it waits for.
type waitLog struct {
	mu   sync.Mutex
	told []string
}

func (w *waitLog) waiting(h string) { w.mu.Lock(); w.told = append(w.told, h); w.mu.Unlock() }

func (w *waitLog) said() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]string(nil), w.told...)
}

// A command holding the folder for a moment (a script's `workdiary id`)
// does not stop an owner from starting: the owner waits for it, and says
// so only when the wait is longer than a second.
func TestOwnerWaitsForAShortCommand(t *testing.T) {
	for _, tc := range []struct {
		name string
		hold time.Duration
		tell bool
	}{
		{"brief", 200 * time.Millisecond, false},
		{"long", 1800 * time.Millisecond, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			cmd, err := owner.Acquire(dir, "workdiary id")
			if err != nil {
				t.Fatal(err)
			}
			time.AfterFunc(tc.hold, func() { cmd.Release() })
			var w waitLog
			start := time.Now()
			l, err := owner.AcquireOwner(context.Background(), dir, "workdiary serve", w.waiting)
			if err != nil {
				t.Fatalf("AcquireOwner while a command holds the folder for %v: %v", tc.hold, err)
			}
			defer l.Release()
			if took := time.Since(start); took < tc.hold-50*time.Millisecond || took > tc.hold+2*time.Second {
				t.Errorf("AcquireOwner took %v; want about the %v the command held the folder", took, tc.hold)
			}
			told := w.said()
			if !tc.tell && len(told) != 0 {
				t.Errorf("waited %v and said %q; want silence for waits under a second", tc.hold, told)
			}
			if tc.tell && (len(told) != 1 || !strings.Contains(told[0], "workdiary id (pid ")) {
				t.Errorf("waited %v and said %q; want one notice naming workdiary id and its pid", tc.hold, told)
			}
			// The new holder is an owner: a command is refused, naming it.
			if _, err := owner.Acquire(dir, "workdiary id"); !errors.Is(err, owner.ErrBusy) || !strings.Contains(err.Error(), "workdiary serve already runs") {
				t.Errorf("command after the owner started: err = %v; want ErrBusy naming workdiary serve", err)
			}
		})
	}
}

// A folder that a long-running owner holds is refused at once.
func TestOwnerRefusesAnotherOwnerAtOnce(t *testing.T) {
	dir := t.TempDir()
	first, err := owner.AcquireOwner(context.Background(), dir, "workdiary serve", nil)
	if err != nil {
		t.Fatal(err)
	}
	defer first.Release()
	var w waitLog
	start := time.Now()
	_, err = owner.AcquireOwner(context.Background(), dir, "the Workdiary desktop app", w.waiting)
	if !errors.Is(err, owner.ErrBusy) || !strings.Contains(err.Error(), "workdiary serve already runs") {
		t.Fatalf("second owner: err = %v; want ErrBusy naming workdiary serve", err)
	}
	if took := time.Since(start); took > 500*time.Millisecond {
		t.Errorf("second owner was refused after %v; want at once", took)
	}
	if told := w.said(); len(told) != 0 {
		t.Errorf("second owner said %q while refused; want nothing", told)
	}
}

// A command that keeps the folder longer than the owner's patience (or its
// context) makes the owner fail, naming the command.
func TestOwnerGivesUpOnACommandThatStays(t *testing.T) {
	dir := t.TempDir()
	cmd, err := owner.Acquire(dir, "workdiary sync")
	if err != nil {
		t.Fatal(err)
	}
	defer cmd.Release()
	ctx, cancel := context.WithTimeout(context.Background(), 1500*time.Millisecond)
	defer cancel()
	var w waitLog
	start := time.Now()
	_, err = owner.AcquireOwner(ctx, dir, "workdiary serve", w.waiting)
	if !errors.Is(err, owner.ErrBusy) || !strings.Contains(err.Error(), "workdiary sync already runs") {
		t.Fatalf("owner against a command that stays: err = %v; want ErrBusy naming workdiary sync", err)
	}
	if took := time.Since(start); took < 1400*time.Millisecond {
		t.Errorf("owner gave up after %v; want it to wait until its context ended (1.5s)", took)
	}
	if told := w.said(); len(told) != 1 {
		t.Errorf("owner said %q; want one notice of the wait", told)
	}
}
