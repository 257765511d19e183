package contract

import (
	"errors"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// StartGrace opens a contract's window a day before the offer was made:
// the two machines' clocks need not agree, and segment times are the
// contractor's claims in any case (docs/security.md).
const StartGrace = 24 * time.Hour

// MaxMonitors bounds the screenshots of one moment: one per monitor, and
// no desk has more. With at most 3 moments a segment, an entry commits to
// at most 24 screenshots and one webcam photo a moment, whatever the
// ledger format's 32 would let a forged entry carry (docs/format.md §3.1).
const MaxMonitors = 8

// futureSlack tolerates clocks that disagree a little.
const futureSlack = 10 * time.Minute

// Errors of the entry rules.
var (
	// ErrBreaksTerms: a log entry breaks a term of the contract. It is a
	// matter of policy, decided by the signed records alone, so both
	// sides (and an offline verifier) reach the same answer.
	ErrBreaksTerms = errors.New("entry breaks the contract's terms")
	// ErrInFuture: a segment ends later than the checking side's clock
	// allows. Unlike ErrBreaksTerms it passes by itself once that time
	// has come.
	ErrInFuture = errors.New("segment ends in the future")
	// ErrWeekClosed: the entry's time lies in a week that has closed (its
	// deadline passed, or both parties closed it). It breaks the terms
	// too (errors.Is(err, ErrBreaksTerms) holds); the way forward is a
	// correction in the current week.
	ErrWeekClosed = errors.New("the week has closed")
)

// EntryRules are the terms of a contract as they bind each entry of the
// contractor's log: when time may lie, manual time, webcam, blur and how
// many screenshots. The contractor's node applies them before it adds or
// signs time, the employer's on every entry it receives, and the offline
// verifier to every entry of a bundle: one set of rules, one answer.
type EntryRules struct {
	Screenshots  int  // moments per segment (every monitor is one image)
	BlurRequired bool // every screenshot must be blurred or redacted
	Webcam       bool
	ManualTime   bool
	NotBefore    time.Time // no segment starts before this
	NotAfter     time.Time // zero: open-ended (the contract has not ended)
	Paused       []Span    // no segment starts inside a pause
	// Weeks and CloseAfter say when each week closes: CloseAfter
	// after its end (0: weeks never close). Closed are the weeks both
	// parties have closed: week start (Unix seconds) → the log's size at
	// the close (ledger.WeekClose).
	Weeks      Weeks
	CloseAfter time.Duration
	Closed     map[int64]uint64
}

// Span is a stretch of time from From; a zero Until leaves it open.
type Span struct{ From, Until time.Time }

// Contains reports whether t lies in the span.
func (s Span) Contains(t time.Time) bool {
	return !t.Before(s.From) && (s.Until.IsZero() || t.Before(s.Until))
}

// WithClosed returns r with the weeks closes closed.
func (r EntryRules) WithClosed(closes []ledger.WeekClose) EntryRules {
	if len(closes) == 0 {
		return r
	}
	r.Closed = make(map[int64]uint64, len(closes))
	for _, c := range closes {
		r.Closed[c.Week] = c.Size
	}
	return r
}

// Deadline is when the week that begins at weekStart closes for new
// entries; the zero time when weeks never close.
func (r EntryRules) Deadline(weekStart time.Time) time.Time {
	if r.CloseAfter <= 0 {
		return time.Time{}
	}
	return r.Weeks.Next(weekStart).Add(r.CloseAfter)
}

// EntryRules are the offer's terms for log entries, ended by end (nil
// while the contract runs).
func (o *Offer) EntryRules(end *End) EntryRules {
	r := EntryRules{Screenshots: o.Screenshots, BlurRequired: o.Blur == BlurRequired,
		Webcam: o.Webcam == WebcamOptional, ManualTime: o.ManualTime, NotBefore: o.CreatedAt.Add(-StartGrace),
		Weeks: o.Weeks(), CloseAfter: time.Duration(o.CloseAfterHours) * time.Hour}
	if end != nil {
		r.NotAfter = end.At
	}
	return r
}

// EntryRules are the contract's rules for its log's entries, with the
// end and pauses bound into its log.
func (c *Contract) EntryRules() EntryRules {
	if c.Life == nil {
		return c.Offer.EntryRules(c.End)
	}
	return c.Life.EntryRules()
}

// EntryRules are the offer's rules with this lifecycle's end and pauses.
func (l *Lifecycle) EntryRules() EntryRules {
	r := l.offer.EntryRules(l.End)
	for i := 0; i < len(l.Holds); i += 2 {
		s := Span{From: l.Holds[i].At}
		if i+1 < len(l.Holds) {
			s.Until = l.Holds[i+1].At
		}
		r.Paused = append(r.Paused, s)
	}
	return r
}

// Check says why e breaks the rules (an error matching ErrBreaksTerms
// whose text is the reason, for people), or nil. A void adds no time and
// never breaks them: withdrawing time is always allowed. A record adds no
// time either; whether it may be bound is Lifecycle.Bind's.
func (r EntryRules) Check(e ledger.Entry) error {
	if e.Kind == ledger.KindVoid || e.Kind == ledger.KindRecord {
		return nil
	}
	start := time.Unix(e.Start, 0)
	what := timeKind(e)
	switch {
	case start.Before(r.NotBefore):
		return broken("%s at %s is before the contract started (it takes time from %s, a day before the offer)",
			what, when(start), when(r.NotBefore))
	case !r.NotAfter.IsZero() && start.After(r.NotAfter):
		return broken("%s at %s is after the contract ended (%s)", what, when(start), when(r.NotAfter))
	case e.Kind == ledger.KindManual && !r.ManualTime:
		return broken("manual time at %s: the contract does not allow manual time", when(start))
	}
	for _, p := range r.Paused {
		if p.Contains(start) {
			return broken("%s at %s is while the contract is paused (since %s)", what, when(start), when(p.From))
		}
	}
	if err := r.checkClosed(e, start, what); err != nil {
		return err
	}
	if err := r.checkCorrects(e, start, what); err != nil {
		return err
	}
	return r.checkImages(e, start)
}

// checkClosed refuses time in a closed week: approved after the week's
// deadline (the contractor's own claim, so its node never signs such an
// entry), or after the close both parties signed, whatever its approval
// time says. Corrections go in the current week.
func (r EntryRules) checkClosed(e ledger.Entry, start time.Time, what string) error {
	if r.CloseAfter <= 0 && len(r.Closed) == 0 {
		return nil
	}
	first := r.Weeks.Begin(start)
	last := r.Weeks.Begin(start.Add(ledger.SegmentSeconds*time.Second - time.Second))
	for _, week := range []time.Time{first, last} {
		if size, ok := r.Closed[week.Unix()]; ok && (e.Seq == 0 || e.Seq > size) {
			return closed("%s at %s is in the week of %s, which both parties closed at entry %d: a correction goes in the current week",
				what, when(start), when(week), size)
		}
		approved := time.Unix(e.ApprovedAt, 0)
		if d := r.Deadline(week); !d.IsZero() && approved.After(d) {
			return closed("%s at %s was approved at %s, after the week of %s closed (%s): a correction goes in the current week",
				what, when(start), when(approved), when(week), when(d))
		}
	}
	return nil
}

// checkImages applies the terms on images: webcam allowed, blur, and how
// many: moments per segment, at most MaxMonitors screenshots a moment,
// one webcam photo a moment.
func (r EntryRules) checkImages(e ledger.Entry, start time.Time) error {
	moments, webcam := map[int64]int{}, 0
	for _, img := range e.Images {
		switch img.Role {
		case ledger.RoleWebcam:
			if !r.Webcam {
				return broken("the segment at %s has a webcam photo, which the contract does not allow", when(start))
			}
			webcam++
		case ledger.RoleScreenshot:
			moments[img.TakenAt]++
			if r.BlurRequired && !img.Blurred && !img.Redacted {
				return broken("the segment at %s has a sharp screenshot; the contract requires blur", when(start))
			}
		}
	}
	for _, n := range moments {
		if n > MaxMonitors {
			return broken("the segment at %s has %d screenshots taken at one moment; at most %d (one per monitor) are taken",
				when(start), n, MaxMonitors)
		}
	}
	if len(moments) > r.Screenshots {
		return broken("the segment at %s has screenshots at %d moments; the contract allows %d per segment",
			when(start), len(moments), r.Screenshots)
	}
	if webcam > r.Screenshots {
		return broken("the segment at %s has %d webcam photos; the contract allows %d per segment",
			when(start), webcam, r.Screenshots)
	}
	return nil
}

// checkCorrects admits a correction that names the start of one of the
// contract's weeks before the correction's own.
func (r EntryRules) checkCorrects(e ledger.Entry, start time.Time, what string) error {
	if e.Corrects == 0 {
		return nil
	}
	week := time.Unix(e.Corrects, 0).UTC()
	switch {
	case !r.Weeks.IsStart(week):
		return broken("%s at %s corrects a week starting %s, which is not a start of the contract's weeks (%s)", what, when(start), when(week), r.Weeks)
	case !week.Before(r.Weeks.Begin(start)):
		return broken("%s at %s corrects the week of %s, which is not before its own week", what, when(start), when(week))
	}
	return nil
}

// CheckTime says whether e's segment is over by now, give or take a few
// minutes of clock difference (ErrInFuture when it is not).
func CheckTime(e ledger.Entry, now time.Time) error {
	start := time.Unix(e.Start, 0)
	end := start.Add(ledger.SegmentSeconds * time.Second)
	if e.Kind != ledger.KindVoid && e.Kind != ledger.KindRecord && end.After(now.Add(futureSlack)) {
		return fmt.Errorf("%w: %s at %s ends after %s by this clock; check the clocks (the time is taken once it has passed)",
			ErrInFuture, timeKind(e), when(start), when(now))
	}
	return nil
}

// TermError is a broken rule: its text is the reason alone.
type TermError struct {
	Reason string
	// WeekClosed: the rule broken is that the entry's week has closed.
	WeekClosed bool
}

func (e *TermError) Error() string { return e.Reason }

// Is makes errors.Is(err, ErrBreaksTerms) hold, and ErrWeekClosed for a
// closed week.
func (e *TermError) Is(target error) bool {
	return target == ErrBreaksTerms || (e.WeekClosed && target == ErrWeekClosed)
}

func broken(format string, args ...any) error {
	return &TermError{Reason: fmt.Sprintf(format, args...)}
}

func closed(format string, args ...any) error {
	return &TermError{Reason: fmt.Sprintf(format, args...), WeekClosed: true}
}

func timeKind(e ledger.Entry) string {
	if e.Kind == ledger.KindManual {
		return "manual time"
	}
	return "tracked time"
}

// when is how the rules show a time: to the minute, in UTC.
func when(t time.Time) string { return t.UTC().Format("2006-01-02 15:04 UTC") }
