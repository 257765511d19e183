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

// An app excluded while a session runs is screened from the next sample
// on: the settings are re-read at every step, without a restart.
func TestExclusionAddedDuringSessionApplies(t *testing.T) {
	r := newRig(t)
	tr := r.tracker(Policy{})
	var exclude []string
	tr.Settings = func() Settings { return Settings{Exclude: exclude} }
	err := r.run(t, tr, 20*time.Minute, func(now time.Time) {
		r.input.Add(now, activity.Counts{Keys: 1})
		if !now.Before(t0.Add(10 * time.Minute)) {
			exclude = []string{"xterm"}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	segs, _ := r.db.Range("c1", t0, t0.Add(time.Hour))
	if len(segs) != 2 {
		t.Fatalf("%d segments, want 2", len(segs))
	}
	if got := segs[0].Apps[0].Title; got == capture.ExcludedTitle {
		t.Errorf("first segment's title = %q before the app was excluded, want the window's title", got)
	}
	for _, a := range segs[1].Apps {
		if a.Title != capture.ExcludedTitle {
			t.Errorf("second segment: app %+v after the exclusion, want title %q", a, capture.ExcludedTitle)
		}
	}
}
