package node

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/tracker"
)

// A follower polling with the number it was given reads every event once;
// one that fell behind the kept window resumes at the oldest kept.
func TestEventLogSince(t *testing.T) {
	var l eventLog
	at := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	for i := 0; i < 3; i++ {
		l.add(tracker.Event{Kind: tracker.MinuteRecorded, At: at.Add(time.Duration(i) * time.Minute)})
	}
	evs, next := l.since(0)
	if len(evs) != 3 || next != 3 {
		t.Fatalf("since(0) = %d events, next %d; want 3, 3", len(evs), next)
	}
	if evs, next = l.since(next); len(evs) != 0 || next != 3 {
		t.Fatalf("since(3) = %d events, next %d; want none, 3", len(evs), next)
	}
	for i := 0; i < maxEvents-1; i++ {
		l.add(tracker.Event{Kind: tracker.Problem, At: at})
	}
	// 3+255 events, of which the first two are no longer kept.
	evs, next = l.since(1)
	if want := 2 + maxEvents; next != want || len(evs) != maxEvents || !evs[0].At.Equal(at.Add(2*time.Minute)) {
		t.Fatalf("since(1) = %d events (first at %v), next %d; want the %d kept, from the third minute, next %d",
			len(evs), evs[0].At, next, maxEvents, want)
	}
}
