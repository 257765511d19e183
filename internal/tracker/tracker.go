package tracker

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/store"
)

// Tracker records one contract's time until its context ends.
type Tracker struct {
	Clock    clock.Clock
	Policy   Policy
	Activity Activity
	Camera   Camera  // nil: no screenshots
	Windows  Windows // nil: no app sampling
	Webcam   Webcam  // nil: no webcam
	Diary    Diary
	Blobs    Blobs
	Idle     IdleDecider
	Notify   func(Event) // nil: nobody listens
	Rand     *rand.Rand  // nil: seeded from the clock
	// Settings, when set, is read at every step: the contractor's
	// exclusion list and idle threshold apply to a running session as
	// soon as they change, without a restart.
	Settings func() Settings

	shots    []time.Time // planned screenshot moments in the current slot
	slot     time.Time
	win      capture.Window // last sampled window, as read
	app      string         // last sampled window, as recorded
	title    string
	lastSamp time.Time
	appTime  map[time.Time]map[[2]string]time.Duration // slot → (app, title) → time not yet saved
	idleQuestions
	week   time.Duration
	weekOf time.Time
	limit  time.Duration // the weekly limit in force in weekOf
	warned bool
}

// Run records until ctx ends (or the weekly limit stops it). Minutes that
// finished are saved as they finish; the minute in progress when Run returns
// is not recorded.
func (t *Tracker) Run(ctx context.Context) error {
	if strings.TrimSpace(t.Policy.Memo) == "" {
		return ErrNoMemo
	}
	t.Policy = t.Policy.withDefaults()
	if t.Rand == nil {
		seed := uint64(t.Clock.Now().UnixNano())
		t.Rand = rand.New(rand.NewPCG(seed, seed>>7|1))
	}
	if t.Idle == nil {
		t.Idle = KeepIdle(true)
	}
	t.appTime = map[time.Time]map[[2]string]time.Duration{}
	t.lastSamp = t.Clock.Now()
	if err := t.loadWeek(t.lastSamp); err != nil {
		return err
	}
	t.answers = make(chan idleAnswer, 1)
	t.askCtx, t.stopAsking = context.WithCancel(ctx)
	defer t.stopAsking()
	if err := t.askAgain(); err != nil {
		return err
	}
	t.planShots(t.lastSamp)
	var wake <-chan time.Time
	for {
		if wake == nil {
			wake = t.Clock.After(t.nextWake())
		}
		var err error
		select {
		case <-ctx.Done():
			return t.finish()
		case a := <-t.answers:
			if err = t.answered(a); err != nil && store.IsDiskProblem(err) {
				err = stopped(t.Clock.Now(), err)
			} else if err != nil {
				t.report(Event{Kind: Problem, At: t.Clock.Now(), Message: err.Error()})
				err = nil
			}
		case <-wake:
			wake = nil
			err = t.step(ctx)
		}
		if err != nil {
			if errors.Is(err, ErrLimitReached) {
				_ = t.finish()
			}
			return err
		}
	}
}

// nextWake is the shorter of the sampling interval and the time to the
// next planned screenshot or minute boundary.
func (t *Tracker) nextWake() time.Duration {
	now := t.Clock.Now()
	d := t.Policy.SampleEvery
	if next := now.Truncate(time.Minute).Add(time.Minute).Sub(now); next < d {
		d = next
	}
	for _, s := range t.shots {
		if w := s.Sub(now); w > 0 && w < d {
			d = w
		}
	}
	if d < time.Millisecond {
		d = time.Millisecond
	}
	return d
}

func (t *Tracker) step(ctx context.Context) error {
	t.follow()
	now := t.Clock.Now()
	t.sample(now)
	if slot := diary.SlotStart(now); !slot.Equal(t.slot) {
		t.planShots(now)
	}
	if err := t.takeDueShots(ctx, now); err != nil {
		// A disk that cannot take a screenshot cannot take the next minute
		// either: stop now rather than record time without its shots.
		if store.IsDiskProblem(err) {
			return stopped(now, err)
		}
		t.report(Event{Kind: Problem, At: now, Message: err.Error()})
	}
	for _, m := range t.Activity.Flush(now) {
		if err := t.recordMinute(m); err != nil {
			if store.IsDiskProblem(err) {
				return stopped(m.Start, err)
			}
			return err
		}
	}
	if err := t.resumeEarly(now); err != nil {
		if store.IsDiskProblem(err) {
			return stopped(now, err)
		}
		return err
	}
	return nil
}

// stopped is why a run ends when the disk refuses a write. Retrying would
// only fail again every minute until someone frees space, so the tracker
// stops and says so; every minute saved before is whole, because each was
// a synced write of its own.
func stopped(at time.Time, err error) error {
	return fmt.Errorf("tracking stopped at %s; everything recorded before is kept: %w", at.Format("15:04"), err)
}

// finish records what finished before stopping and closes the idle
// questions.
func (t *Tracker) finish() error {
	now := t.Clock.Now()
	t.sample(now)
	var err error
	for _, m := range t.Activity.Flush(now) {
		if err = t.recordMinute(m); err != nil && !errors.Is(err, ErrLimitReached) {
			break
		}
		err = nil
	}
	return errors.Join(err, t.closeQuestions(now))
}

// sample attributes the time since the last sample to the window that was
// focused then, and reads the window focused now.
func (t *Tracker) sample(now time.Time) {
	if t.Windows == nil {
		return
	}
	// Split at segment ends: after a stall (a suspended machine, or a fast
	// clock the tracker cannot keep up with) the time since the last
	// sample spans segments, and none may be credited more than its ten
	// minutes.
	for from := t.lastSamp; t.app != "" && from.Before(now); {
		slot := diary.SlotStart(from)
		to := slot.Add(diary.SegmentLength)
		if to.After(now) {
			to = now
		}
		if t.appTime[slot] == nil {
			t.appTime[slot] = map[[2]string]time.Duration{}
		}
		t.appTime[slot][[2]string{t.app, t.title}] += to.Sub(from)
		from = to
	}
	t.lastSamp = now
	w, err := t.Windows.ActiveWindow()
	if err != nil {
		t.app, t.title = "", ""
		return
	}
	t.win = w
	w = capture.Screened(w, t.Policy.Exclude) // an excluded app's title never reaches the diary
	t.app, t.title = w.Process, w.Title
	if t.app == "" {
		t.app = "unknown"
	}
}

// segment loads the contract's segment of a slot, or starts a new one.
func (t *Tracker) segment(slot time.Time) (diary.Segment, error) {
	s, err := t.Diary.Get(t.Policy.Contract, slot)
	if errors.Is(err, diarydb.ErrNotFound) {
		return diary.Segment{Contract: t.Policy.Contract, Start: slot, State: diary.Recorded, Kind: diary.Auto, Memo: t.Policy.Memo}, nil
	}
	if err != nil {
		return s, fmt.Errorf("load segment: %w", err)
	}
	if s.State != diary.Recorded {
		return s, fmt.Errorf("segment %s is already %s: it cannot change", s.ID(), s.State)
	}
	return s, nil
}

func (t *Tracker) report(e Event) {
	if t.Notify != nil {
		t.Notify(e)
	}
}

func toMinute(m activity.Minute, slot time.Time, count bool) diary.Minute {
	dm := diary.Minute{Index: int(m.Start.Sub(slot) / time.Minute)}
	if count {
		dm.Keys, dm.Clicks, dm.Scrolls, dm.Moved = m.Keys, m.Clicks, m.Scrolls, m.Moved
	}
	return dm
}
