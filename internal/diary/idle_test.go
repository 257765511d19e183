package diary

import (
	"slices"
	"testing"
	"time"
)

func TestIdleMarksSpansAndAnswers(t *testing.T) {
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	a := Segment{Contract: "c", Start: t0, State: Recorded}
	b := Segment{Contract: "c", Start: t0.Add(SegmentLength), State: Recorded}
	for i := 0; i < 10; i++ {
		a.AddMinute(Minute{Index: i})
		b.AddMinute(Minute{Index: i})
	}
	from, to := t0.Add(6*time.Minute), t0.Add(13*time.Minute)
	if !a.MarkIdlePending(from, to) || !b.MarkIdlePending(from, to) || a.MarkIdlePending(from, to) {
		t.Fatalf("marks: a %v b %v; want new marks once", a.IdlePending, b.IdlePending)
	}
	if a.Approvable(t0.Add(time.Hour)) {
		t.Fatalf("a segment with minutes waiting for the idle question is approvable")
	}
	spans := IdleSpans([]Segment{a, b})
	if len(spans) != 1 || !spans[0][0].Equal(from) || !spans[0][1].Equal(to) {
		t.Fatalf("IdleSpans = %v, want one span 9:06–9:13", spans)
	}
	if n := a.SettleIdle(from, to, true); n != 0 || a.IdlePending != nil || len(a.Minutes) != 10 || !a.Approvable(t0.Add(time.Hour)) {
		t.Fatalf("kept: removed %d, marks %v, %d minutes", n, a.IdlePending, len(a.Minutes))
	}
	if n := b.SettleIdle(from, to, false); n != 3 || b.IdlePending != nil || slices.ContainsFunc(b.Minutes, func(m Minute) bool { return m.Index < 3 }) {
		t.Fatalf("discarded: removed %d, marks %v, minutes %v; want minutes 0-2 gone", n, b.IdlePending, b.Minutes)
	}
}
