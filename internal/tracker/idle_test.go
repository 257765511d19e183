package tracker

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/store"
)

// heldQuestion is a person who sees the idle question and answers only
// when the test says so.
type heldQuestion struct {
	asked  chan idleSpan
	answer chan bool
}

func newHeldQuestion() *heldQuestion {
	return &heldQuestion{asked: make(chan idleSpan, 8), answer: make(chan bool)}
}

func (h *heldQuestion) KeepIdle(ctx context.Context, from, to time.Time) (bool, bool) {
	h.asked <- idleSpan{from, to}
	select {
	case keep := <-h.answer:
		return keep, true
	case <-ctx.Done():
		return false, false
	}
}

// idleThenBack is input in the first minute, none until 9:25, then input
// every minute.
func idleThenBack(r *rig) func(now time.Time) {
	return func(now time.Time) {
		if now.Second() == 0 && (now.Equal(t0) || !now.Before(t0.Add(25*time.Minute))) {
			r.input.Add(now, activity.Counts{Keys: 2})
		}
	}
}

// While the idle question waits for 30 minutes, tracking goes on: every
// minute is saved as it finishes (the idle ones marked as waiting),
// screenshots are taken on schedule, and nothing waiting can be approved.
// The answer then keeps the idle minutes or removes them with their
// screenshots, and a segment left with no minute is gone with its images.
func TestIdleQuestionWaitsWhileTrackingGoesOn(t *testing.T) {
	idleFrom, back := t0.Add(time.Minute), t0.Add(25*time.Minute)
	for _, keep := range []bool{true, false} {
		r := newRig(t)
		tr := r.tracker(Policy{IdleAfter: 5 * time.Minute, Screenshots: 1})
		q := newHeldQuestion()
		tr.Idle = q
		var open []diary.Segment
		input := idleThenBack(r)
		err := r.run(t, tr, 60*time.Minute, func(now time.Time) {
			input(now)
			if now.Equal(back.Add(30 * time.Minute)) { // 30 minutes unanswered
				open, _ = r.db.Range("c1", t0, t0.Add(time.Hour))
				q.answer <- keep
			}
		})
		if err != nil {
			t.Fatalf("keep=%v: %v", keep, err)
		}
		select {
		case sp := <-q.asked:
			if !sp.from.Equal(idleFrom) || !sp.to.Equal(back) {
				t.Fatalf("keep=%v: asked about %v–%v, want %v–%v", keep, sp.from, sp.to, idleFrom, back)
			}
		default:
			t.Fatalf("keep=%v: the idle question was never asked", keep)
		}

		// While the question waited.
		minutes := 0
		var waiting []time.Time
		for _, s := range open {
			minutes += len(s.Minutes)
			if s.Start.Before(t0.Add(50*time.Minute)) && len(s.Screenshots) != 1 {
				t.Errorf("keep=%v: segment %s has %d screenshots while the question waits, want 1", keep, s.Start.Format("15:04"), len(s.Screenshots))
			}
			for _, i := range s.IdlePending {
				waiting = append(waiting, s.MinuteAt(i))
			}
			if got := s.Approvable(t0.Add(2 * time.Hour)); got != (len(s.IdlePending) == 0) {
				t.Errorf("keep=%v: segment %s with %d minutes waiting approvable=%v", keep, s.Start.Format("15:04"), len(s.IdlePending), got)
			}
		}
		if len(open) != 6 || minutes != 55 {
			t.Fatalf("keep=%v: after 30 minutes unanswered, %d segments with %d minutes saved; want 6 with 55", keep, len(open), minutes)
		}
		if want := 24; len(waiting) != want || !waiting[0].Equal(idleFrom) || !waiting[len(waiting)-1].Equal(back.Add(-time.Minute)) {
			t.Fatalf("keep=%v: minutes waiting for the answer %v, want the %d from %s to %s", keep, waiting, want, idleFrom.Format("15:04"), back.Format("15:04"))
		}

		// After the answer.
		segs, _ := r.db.Range("c1", t0, t0.Add(2*time.Hour))
		got := map[int64]diary.Segment{}
		for _, s := range segs {
			got[s.Start.Unix()] = s
			if len(s.IdlePending) > 0 {
				t.Errorf("keep=%v: segment %s still has minutes %v waiting after the answer", keep, s.Start.Format("15:04"), s.IdlePending)
			}
		}
		if keep {
			if n := len(got[t0.Unix()].Minutes) + len(got[t0.Add(10*time.Minute).Unix()].Minutes) + len(got[t0.Add(20*time.Minute).Unix()].Minutes); n != 30 {
				t.Errorf("kept: %d minutes from 9:00 to 9:30, want all 30", n)
			}
			continue
		}
		if !hasEvent(r.evs, IdleDiscarded) {
			t.Errorf("discarded: no %s event", IdleDiscarded)
		}
		if s, ok := got[t0.Add(10*time.Minute).Unix()]; ok {
			t.Errorf("discarded: the 9:10 segment, idle throughout, is still there with %d minutes", len(s.Minutes))
		}
		if n := len(got[t0.Add(20*time.Minute).Unix()].Minutes); n != 5 {
			t.Errorf("discarded: the 9:20 segment has %d minutes, want the 5 after input returned", n)
		}
		for _, s := range open {
			for _, img := range s.Screenshots {
				h, _ := store.ParseHash(img.Hash)
				inSpan := !img.TakenAt.Before(idleFrom) && img.TakenAt.Before(back) || s.Start.Equal(t0.Add(10*time.Minute))
				if kept := r.st.Blobs.Has(h); kept == inSpan {
					t.Errorf("discarded: screenshot of %s taken at %s on disk=%v", s.Start.Format("15:04"), img.TakenAt.Format("15:04:05"), kept)
				}
				if inList := slices.ContainsFunc(got[s.Start.Unix()].Screenshots, func(i diary.Image) bool { return i.Hash == img.Hash }); inList == inSpan {
					t.Errorf("discarded: screenshot of %s taken at %s still listed=%v", s.Start.Format("15:04"), img.TakenAt.Format("15:04:05"), inList)
				}
			}
		}
	}
}

// A question left open when tracking stops stays open in the diary, and
// the contract's next run asks it again before anything else.
func TestIdleQuestionOutlivesTheRun(t *testing.T) {
	r := newRig(t)
	tr := r.tracker(Policy{IdleAfter: 5 * time.Minute})
	q := newHeldQuestion()
	tr.Idle = q
	if err := r.run(t, tr, 30*time.Minute, idleThenBack(r)); err != nil {
		t.Fatal(err)
	}
	segs, _ := r.db.IdlePending("c1")
	if spans := diary.IdleSpans(segs); len(spans) != 1 || !spans[0][0].Equal(t0.Add(time.Minute)) || !spans[0][1].Equal(t0.Add(25*time.Minute)) {
		t.Fatalf("after a stop with the question unanswered, open questions %v; want 9:01–9:25", spans)
	}

	tr = r.tracker(Policy{IdleAfter: 5 * time.Minute})
	q = newHeldQuestion()
	tr.Idle = q
	if err := r.run(t, tr, time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	if sp := <-q.asked; !sp.from.Equal(t0.Add(time.Minute)) || !sp.to.Equal(t0.Add(25*time.Minute)) {
		t.Fatalf("the next run asked about %v–%v, want 9:01–9:25", sp.from, sp.to)
	}

	tr = r.tracker(Policy{IdleAfter: 5 * time.Minute})
	tr.Idle = KeepIdle(false)
	if err := r.run(t, tr, time.Minute, nil); err != nil {
		t.Fatal(err)
	}
	if segs, _ := r.db.IdlePending("c1"); len(segs) != 0 {
		t.Fatalf("a run that discards idle time left %d segments waiting", len(segs))
	}
	if s, err := r.db.Get("c1", t0); err != nil || len(s.Minutes) != 1 {
		t.Fatalf("9:00 segment after discarding 9:01–9:25: %+v, %v; want minute 0 only", s.Minutes, err)
	}
}

// sameCamera sees a screen that never changes: every screenshot is the
// same file.
type sameCamera struct{ fakeCamera }

func (c *sameCamera) Shoot(ctx context.Context, p capture.Policy) ([]capture.Shot, capture.Window, error) {
	c.n = 0
	return c.fakeCamera.Shoot(ctx, p)
}

// Discarded idle time takes its screenshots' files only where no segment
// kept still refers to the same bytes.
func TestDiscardKeepsSharedScreenshots(t *testing.T) {
	r := newRig(t)
	tr := r.tracker(Policy{IdleAfter: 5 * time.Minute, Screenshots: 1})
	tr.Camera = &sameCamera{}
	tr.Idle = KeepIdle(false)
	if err := r.run(t, tr, 29*time.Minute, idleThenBack(r)); err != nil {
		t.Fatal(err)
	}
	segs, _ := r.db.Range("c1", t0, t0.Add(time.Hour))
	shots := 0
	for _, s := range segs {
		for _, img := range s.Screenshots {
			shots++
			if h, _ := store.ParseHash(img.Hash); !r.st.Blobs.Has(h) {
				t.Errorf("screenshot of %s taken at %s is kept in the diary but its file is gone", s.Start.Format("15:04"), img.TakenAt.Format("15:04:05"))
			}
		}
	}
	if shots == 0 || !hasEvent(r.evs, IdleDiscarded) {
		t.Fatalf("%d screenshots kept, discarded: %v; want some kept beside discarded idle time", shots, hasEvent(r.evs, IdleDiscarded))
	}
}

// An idle threshold lowered while a session runs applies at once: seven
// quiet minutes are idle under a 5-minute threshold set mid-session, not
// under the 10 minutes the session began with.
func TestIdleThresholdChangedDuringSession(t *testing.T) {
	r := newRig(t)
	tr := r.tracker(Policy{IdleAfter: 10 * time.Minute})
	tr.Idle = KeepIdle(false)
	idleAfter := 10 * time.Minute
	tr.Settings = func() Settings { return Settings{IdleAfter: idleAfter} }
	err := r.run(t, tr, 10*time.Minute, func(now time.Time) {
		if now.Equal(t0.Add(time.Minute)) {
			idleAfter = 5 * time.Minute
		}
		if now.Equal(t0) || now.Equal(t0.Add(8*time.Minute)) {
			r.input.Add(now, activity.Counts{Keys: 1})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	s, err := r.db.Get("c1", t0)
	if err != nil {
		t.Fatal(err)
	}
	if got := len(s.Minutes); got != 3 || !hasEvent(r.evs, IdleStarted) {
		t.Errorf("%d minutes kept (idle event %v), want 3: the discarded quiet minutes under the new threshold", got, hasEvent(r.evs, IdleStarted))
	}
}

// timedQuestion notes, on the tracker's clock, when the question came.
type timedQuestion struct {
	clock *clocktest.Fake
	asked chan time.Time
	span  chan idleSpan
}

func (q *timedQuestion) KeepIdle(ctx context.Context, from, to time.Time) (bool, bool) {
	q.asked <- q.clock.Now()
	q.span <- idleSpan{from, to}
	<-ctx.Done()
	return false, false
}

// The idle question comes within a sampling step of the first input after
// the idle span, not when the minute holding that input finishes: a
// person who sits down at 9:25:10 is asked at once, while the minute
// 9:25 is still running. The span still ends at the start of that minute.
func TestIdleQuestionComesAsInputReturns(t *testing.T) {
	r := newRig(t)
	tr := r.tracker(Policy{IdleAfter: 5 * time.Minute})
	q := &timedQuestion{clock: r.clock, asked: make(chan time.Time, 1), span: make(chan idleSpan, 1)}
	tr.Idle = q
	back := t0.Add(25*time.Minute + 10*time.Second)
	err := r.run(t, tr, 28*time.Minute, func(now time.Time) {
		if now.Equal(t0) || now.Equal(back) || (now.After(back) && now.Second() == 0) {
			r.input.Add(now, activity.Counts{Keys: 2})
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	var at time.Time
	select {
	case at = <-q.asked:
	default:
		t.Fatal("the idle question was never asked")
	}
	if minuteEnd := t0.Add(26 * time.Minute); at.Before(back) || !at.Before(minuteEnd) {
		t.Errorf("asked at %s, want between the input at %s and the end of its minute %s",
			at.Format("15:04:05"), back.Format("15:04:05"), minuteEnd.Format("15:04:05"))
	}
	if sp := <-q.span; !sp.from.Equal(t0.Add(time.Minute)) || !sp.to.Equal(t0.Add(25*time.Minute)) {
		t.Errorf("asked about %s–%s, want 09:01–09:25", sp.from.Format("15:04"), sp.to.Format("15:04"))
	}
	seg, err := r.db.Get("c1", t0.Add(20*time.Minute))
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range seg.IdlePending {
		if !seg.MinuteAt(i).Before(t0.Add(25 * time.Minute)) {
			t.Errorf("minute %s after input returned is marked as waiting for the idle question", seg.MinuteAt(i).Format("15:04"))
		}
	}
}
