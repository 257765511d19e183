package tracker

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/ledger"
)

// refusingCamera is a desktop that will not give up its pixels, as rootless
// XWayland and a Wayland compositor do.
type refusingCamera struct{}

func (refusingCamera) Shoot(context.Context, capture.Policy) ([]capture.Shot, capture.Window, error) {
	return nil, capture.Window{}, errors.New("robotgo capture: Capture image not found")
}

// TestSessionLimitsOnEverySegment: what the session keeps from the tracker
// is on every segment recorded there, and with no input counts the quiet
// minutes are not taken for idle time (there is no telling).
func TestSessionLimitsOnEverySegment(t *testing.T) {
	r := newRig(t)
	lim := ledger.LimitNoScreenshots | ledger.LimitNoInputCounts | ledger.LimitNoApps
	tr := r.tracker(Policy{Limits: lim, IdleAfter: 3 * time.Minute})
	tr.Camera = nil
	if err := r.run(t, tr, 20*time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	segs, _ := r.db.Range("c1", t0, t0.Add(time.Hour))
	if len(segs) != 2 {
		t.Fatalf("%d segments, want 2", len(segs))
	}
	for _, s := range segs {
		if s.Limits != lim || len(s.IdlePending) != 0 || len(s.Minutes) != 10 {
			t.Errorf("segment %s: limits %v, idle pending %v, %d minutes; want %v, none, 10", s.ID(), s.Limits, s.IdlePending, len(s.Minutes), lim)
		}
	}
	for _, ev := range r.evs {
		if ev.Kind == IdleStarted {
			t.Errorf("idle reported at %s without any way to tell idle time", ev.At)
		}
	}
}

// TestRefusedScreenshotLabelsTheSegment: a screenshot that could not be
// taken is never silent: the segment says so, and a problem is reported.
func TestRefusedScreenshotLabelsTheSegment(t *testing.T) {
	r := newRig(t)
	tr := r.tracker(Policy{Screenshots: 1})
	tr.Camera = refusingCamera{}
	if err := r.run(t, tr, 10*time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	segs, _ := r.db.Range("c1", t0, t0.Add(time.Hour))
	if len(segs) != 1 || segs[0].Limits != ledger.LimitNoScreenshots {
		t.Fatalf("segments %+v, want one marked screenshots unavailable", segs)
	}
	e, err := segs[0].LedgerEntry(t0.Add(time.Hour))
	if err != nil || e.Limits != ledger.LimitNoScreenshots {
		t.Errorf("its log entry: limits %v, err %v; want the mark carried into the signed entry", e.Limits, err)
	}
	problems := 0
	for _, ev := range r.evs {
		if ev.Kind == Problem {
			problems++
		}
	}
	if problems == 0 {
		t.Error("no problem reported for the refused screenshot")
	}
}
