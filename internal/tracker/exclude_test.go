package tracker

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/capture"
)

// An excluded app in front is recorded by name, never by title: neither
// the window sampling nor the screenshot's window may carry it.
func TestExcludedAppTitleNeverRecorded(t *testing.T) {
	r := newRig(t)
	err := r.run(t, r.tracker(Policy{Screenshots: 3, Exclude: []string{"XTerm"}}), 20*time.Minute, func(now time.Time) {
		r.input.Add(now, activity.Counts{Keys: 1})
	})
	if err != nil {
		t.Fatal(err)
	}
	segs, _ := r.db.Range("c1", t0, t0.Add(time.Hour))
	if len(segs) != 2 {
		t.Fatalf("%d segments, want 2", len(segs))
	}
	for _, s := range segs {
		if len(s.Apps) != 1 || s.Apps[0].Name != "xterm" || s.Apps[0].Title != capture.ExcludedTitle || s.Apps[0].Seconds == 0 {
			t.Errorf("segment %s: apps %+v, want only xterm with title %q and its time", s.ID(), s.Apps, capture.ExcludedTitle)
		}
	}
}
