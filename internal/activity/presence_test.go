package activity

import (
	"testing"
	"time"
)

// TestPresence: minutes with input, as idle notifications reveal them,
// are active; minutes the person was away are not, including the
// notification's own timeout after the last input.
func TestPresence(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	at := func(m, s int) time.Time { return t0.Add(time.Duration(m)*time.Minute + time.Duration(s)*time.Second) }
	p := NewPresence(t0, 10*time.Second)
	p.Idle(at(0, 10))    // nobody there from the start: minute 0 idle
	p.Resumed(at(2, 30)) // typing from 2:30 …
	p.Idle(at(4, 15))    // … until 4:05
	p.Resumed(at(7, 59)) // one key at 7:59
	p.Idle(at(8, 9))
	p.Resumed(at(9, 0)) // present from 9:00 on, still at the flush
	got := p.Flush(at(12, 0))
	want := map[int]bool{2: true, 3: true, 4: true, 7: true, 9: true, 10: true, 11: true}
	if len(got) != 12 {
		t.Fatalf("%d minutes, want 12", len(got))
	}
	for i, m := range got {
		if m.Active() != want[i] {
			t.Errorf("minute %d active %v, want %v", i, m.Active(), want[i])
		}
		if m.Keys+m.Clicks+m.Scrolls != 0 {
			t.Errorf("minute %d has counts %+v: idle notifications count nothing", i, m)
		}
	}
	if again := p.Flush(at(12, 0)); len(again) != 0 {
		t.Errorf("flushed again: %d minutes", len(again))
	}
	p.Idle(at(12, 5)) // last input 11:55, inside a flushed minute: no later minute turns active
	if next := p.Flush(at(13, 0)); len(next) != 1 || next[0].Active() {
		t.Errorf("minute 12: %+v, want one idle minute", next)
	}
}

// TestPresenceLocked: locking ends presence at the lock, typing the
// password is not presence, unlocking is.
func TestPresenceLocked(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	at := func(m, s int) time.Time { return t0.Add(time.Duration(m)*time.Minute + time.Duration(s)*time.Second) }
	p := NewPresence(t0, 10*time.Second)
	p.Idle(at(0, 10))
	p.Resumed(at(1, 0))
	p.Locked(at(2, 5), true) // present to the lock, 2:05: minutes 1 and 2
	p.Resumed(at(4, 0))      // the password, typed on the lock screen
	p.Idle(at(4, 10))
	p.Locked(at(6, 30), false) // unlocked at 6:30, then away again
	p.Idle(at(6, 40))
	want := map[int]bool{1: true, 2: true, 6: true}
	for i, m := range p.Flush(at(8, 0)) {
		if m.Active() != want[i] {
			t.Errorf("minute %d active %v, want %v", i, m.Active(), want[i])
		}
	}
}
