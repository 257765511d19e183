package tracker

import (
	"errors"
	"time"

	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/ledger"
)

// Errors that end or refuse a run.
var (
	ErrNoMemo       = errors.New("a memo is required: say what you are working on")
	ErrLimitReached = errors.New("the weekly limit of this contract is reached: tracking stopped")
)

// Policy is what a contract and the contractor's settings say about
// recording. The wiring fills it from the contract's terms.
type Policy struct {
	Contract      string
	Memo          string
	Screenshots   int  // per 10-minute segment, 0..3
	Blur          bool // blur before anything is written
	Webcam        bool // contract allows and the contractor opted in
	CountActivity bool
	Exclude       []string
	IdleAfter     time.Duration // default 10 minutes
	WeeklyLimit   time.Duration // 0 = none
	// WeeklyLimitFor, when set, is the limit in force in the week that
	// starts at its argument (an amendment changes it from a week on),
	// and WeeklyLimit is not used.
	WeeklyLimitFor func(weekStart time.Time) time.Duration
	// Allowed, when set, says why no time may be recorded at a moment (the
	// contract is paused or has ended), or nil; the run stops with it.
	Allowed         func(at time.Time) error
	ContinueOverCap bool // over the limit: keep recording, mark over-limit
	// WeekStart is the start of the contract week holding t; a week may
	// be an hour longer or shorter than seven days (its zone's DST).
	WeekStart   func(t time.Time) time.Time
	SampleEvery time.Duration // window sampling; default 5s
	// Limits is what the desktop session keeps from the tracker (see
	// internal/session); every segment recorded carries them. Without
	// input counts there is no telling idle time from work, so idle
	// detection is off unless the desktop's idle notifications count.
	Limits ledger.Limits
}

// judgesIdle reports whether minutes without input may be taken for idle
// time: only when input is counted or the desktop reports idleness.
func (p Policy) judgesIdle() bool {
	return p.CountActivity && (p.Limits&ledger.LimitNoInputCounts == 0 || p.Limits&ledger.LimitIdleNotified != 0)
}

func (p Policy) withDefaults() Policy {
	if p.IdleAfter <= 0 {
		p.IdleAfter = 10 * time.Minute
	}
	if p.SampleEvery <= 0 {
		p.SampleEvery = 5 * time.Second
	}
	if p.WeekStart == nil {
		p.WeekStart = MondayUTC
	}
	return p
}

// weekEnd is the start of the week after the one starting at start:
// eight days on lies in that next week however long DST makes this one.
func (p Policy) weekEnd(start time.Time) time.Time { return p.WeekStart(start.Add(8 * 24 * time.Hour)) }

// MondayUTC is the default week start: Monday 00:00 UTC.
func MondayUTC(t time.Time) time.Time {
	t = t.UTC()
	day := time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
	back := (int(day.Weekday()) + 6) % 7
	return day.AddDate(0, 0, -back)
}

// Settings are the parts of a Policy the contractor may change while a
// session runs.
type Settings struct {
	Exclude   []string
	IdleAfter time.Duration
}

// follow takes the contractor's current settings into the policy.
func (t *Tracker) follow() {
	if t.Settings == nil {
		return
	}
	s := t.Settings()
	t.Policy.Exclude = s.Exclude
	// The window read at the last sample is credited up to the next one:
	// an app excluded in between loses its title for that time too.
	if t.title != "" && capture.Excluded(t.win, s.Exclude) {
		t.title = capture.ExcludedTitle
	}
	if s.IdleAfter > 0 {
		t.Policy.IdleAfter = s.IdleAfter
	}
}
