package tracker

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
)

// An idle span's minutes are saved as they finish like any others, marked
// as waiting for the idle question from the moment the span reaches the
// idle threshold. The question is asked once input returns, and the
// recording goes on while it waits: minutes, apps and screenshots. The
// answer keeps the marked minutes (they become ordinary ones) or removes
// them with the screenshots taken in the span. The marks are in the diary,
// so a crash loses no question: the next run of the contract asks again.

// idleSpan is one idle question: the minutes of [from, to).
type idleSpan struct{ from, to time.Time }

// idleAnswer is what the IdleDecider said about a span.
type idleAnswer struct {
	span           idleSpan
	keep, answered bool
}

// asksIdle reports whether idle minutes wait for an answer. A decider
// that keeps all idle time has answered in advance: nothing waits.
func (t *Tracker) asksIdle() bool {
	k, fixed := t.Idle.(KeepIdle)
	return !fixed || !bool(k)
}

// trackIdle follows runs of minutes without input, before m is recorded.
// Once a run reaches the idle threshold its minutes so far are marked as
// waiting (m and later ones are marked as they are recorded); the next
// input ends the span and asks the question.
func (t *Tracker) trackIdle(m activity.Minute) error {
	if !m.Active() {
		if t.idleFrom.IsZero() {
			t.idleFrom = m.Start
		}
		if !t.idle && m.Start.Add(time.Minute).Sub(t.idleFrom) >= t.Policy.IdleAfter {
			t.idle = true
			t.report(Event{Kind: IdleStarted, At: t.idleFrom,
				Message: fmt.Sprintf("no input since %s", t.idleFrom.Format("15:04"))})
			if t.asksIdle() {
				return t.markIdle(idleSpan{t.idleFrom, m.Start})
			}
		}
		return nil
	}
	var err error
	if t.idle {
		err = t.ask(idleSpan{t.idleFrom, m.Start})
	}
	t.idle, t.idleFrom = false, time.Time{}
	return err
}

// resumeEarly ends an idle span as soon as input shows in the minute in
// progress, so the question reaches the person while they are back at
// the computer rather than when that minute finishes. The span ends where
// it would have ended anyway: at the start of the minute with input.
func (t *Tracker) resumeEarly(now time.Time) error {
	if !t.idle || !t.Policy.judgesIdle() {
		return nil
	}
	live, ok := t.Activity.(LiveActivity)
	if !ok {
		return nil
	}
	cur := live.Current(now)
	if !cur.Active() || !cur.Start.After(t.idleFrom) {
		return nil
	}
	err := t.ask(idleSpan{t.idleFrom, cur.Start})
	t.idle, t.idleFrom = false, time.Time{}
	return err
}

// markIdle marks the minutes of the span already saved as waiting.
func (t *Tracker) markIdle(sp idleSpan) error {
	for slot := diary.SlotStart(sp.from); slot.Before(sp.to); slot = slot.Add(diary.SegmentLength) {
		seg, err := t.Diary.Get(t.Policy.Contract, slot)
		if errors.Is(err, diarydb.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("mark idle time: %w", err)
		}
		if seg.State != diary.Recorded || !seg.MarkIdlePending(sp.from, sp.to) {
			continue
		}
		if err := t.Diary.Put(seg); err != nil {
			return fmt.Errorf("mark idle time: %w", err)
		}
	}
	return nil
}

// ask puts the idle question about sp. An answer given in advance is
// applied at once; any other waits its turn, one question at a time, and
// its answer reaches the loop on t.answers.
func (t *Tracker) ask(sp idleSpan) error {
	if k, fixed := t.Idle.(KeepIdle); fixed {
		return t.settle(idleAnswer{span: sp, keep: bool(k), answered: true})
	}
	t.questions = append(t.questions, sp)
	t.askNext()
	return nil
}

func (t *Tracker) askNext() {
	if t.asking || len(t.questions) == 0 {
		return
	}
	sp := t.questions[0]
	t.questions = t.questions[1:]
	t.asking = true
	go func() {
		keep, ok := t.Idle.KeepIdle(t.askCtx, sp.from, sp.to)
		t.answers <- idleAnswer{span: sp, keep: keep, answered: ok}
	}()
}

// askAgain puts the questions an earlier run left open (stopped or killed
// while one waited) before the first minute of this one.
func (t *Tracker) askAgain() error {
	segs, err := t.Diary.IdlePending(t.Policy.Contract)
	if err != nil {
		return fmt.Errorf("read open idle questions: %w", err)
	}
	for _, sp := range diary.IdleSpans(segs) {
		if err := t.ask(idleSpan{sp[0], sp[1]}); err != nil {
			return err
		}
	}
	return nil
}

// answered applies an answer that reached the loop and asks the next
// question.
func (t *Tracker) answered(a idleAnswer) error {
	t.asking = false
	defer t.askNext()
	if !a.answered {
		return nil
	}
	return t.settle(a)
}

// closeQuestions ends a run's questions. One being asked ends unanswered
// unless its answer is already there, and those not yet asked stay open in
// the diary for the next run; an answer given in advance still settles
// the idle span running at the stop.
func (t *Tracker) closeQuestions(now time.Time) error {
	t.stopAsking()
	t.questions = nil
	var err error
	if t.asking {
		err = t.answered(<-t.answers)
	}
	if t.idle {
		t.idle = false
		if _, fixed := t.Idle.(KeepIdle); fixed {
			err = errors.Join(err, t.ask(idleSpan{t.idleFrom, now}))
		}
	}
	return err
}

// settle applies the answer: kept minutes lose their mark, discarded ones
// leave their segments with the screenshots taken in the span, and a
// segment left with no minute is deleted with all its images.
func (t *Tracker) settle(a idleAnswer) error {
	from, to := a.span.from, a.span.to
	var removed time.Duration
	var gone []diary.Image
	for slot := diary.SlotStart(from); slot.Before(to); slot = slot.Add(diary.SegmentLength) {
		seg, err := t.Diary.Get(t.Policy.Contract, slot)
		if errors.Is(err, diarydb.ErrNotFound) {
			continue
		}
		if err != nil {
			return fmt.Errorf("settle idle time: %w", err)
		}
		if seg.State != diary.Recorded {
			continue // approved: nothing in it waited for the answer
		}
		marks := len(seg.IdlePending)
		n := seg.SettleIdle(from, to, a.keep)
		removed += time.Duration(n) * time.Minute
		var shots, photos []diary.Image
		if !a.keep {
			seg.Screenshots, shots = takeImages(seg.Screenshots, from, to)
			seg.Webcam, photos = takeImages(seg.Webcam, from, to)
		}
		if n == 0 && marks == len(seg.IdlePending) && len(shots)+len(photos) == 0 {
			continue
		}
		gone = append(append(gone, shots...), photos...)
		if len(seg.Minutes) == 0 {
			gone = append(append(gone, seg.Screenshots...), seg.Webcam...)
			err = t.Diary.Delete(t.Policy.Contract, slot)
		} else {
			err = t.Diary.Put(seg)
		}
		if err != nil {
			return fmt.Errorf("settle idle time: %w", err)
		}
	}
	// The files go once no segment refers to them: a crash in between
	// leaves a file in no segment, never a segment without its file.
	if err := t.deleteImages(gone); err != nil {
		return err
	}
	if !from.Before(t.weekOf) {
		t.week -= removed
	}
	what, kind := "kept", IdleKept
	if !a.keep {
		what, kind = "discarded", IdleDiscarded
	}
	t.report(Event{Kind: kind, At: from, Message: fmt.Sprintf("%s idle time %s–%s", what, from.Format("15:04"), to.Format("15:04"))})
	return nil
}

// idleQuestions are the tracker's open questions.
type idleQuestions struct {
	idleFrom   time.Time // start of the current run of inactive minutes
	idle       bool      // that run reached the idle threshold
	questions  []idleSpan
	asking     bool // a decider is being asked; its answer comes on answers
	answers    chan idleAnswer
	askCtx     context.Context
	stopAsking context.CancelFunc
}
