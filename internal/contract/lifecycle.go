package contract

import (
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"
)

// CloseDeadline is how long after its end a contract week takes late
// approvals; after it the week is closed. Every rule that depends on a
// week being closed asks WeekClosesAt, so the cosigned week close can take
// its place there.
const CloseDeadline = 24 * time.Hour

// WeekClosesAt is when the week starting at week closes for new entries.
func (o *Offer) WeekClosesAt(week time.Time) time.Time {
	return week.AddDate(0, 0, 7).Add(CloseDeadline)
}

// ReviewWindow is when o's employer may dispute segments of the week
// starting at week: from its close, for the offer's review period.
func (o *Offer) ReviewWindow(week time.Time) (from, until time.Time) {
	days := o.ReviewDays
	if days == 0 {
		days = DefaultReviewDays
	}
	from = o.WeekClosesAt(week)
	return from, from.AddDate(0, 0, days)
}

// OpenFrom is the start of the earliest week still open at t. An end or a
// pause may reach back to it, never into a closed week: what was closed
// stays billed.
func (o *Offer) OpenFrom(t time.Time) time.Time { return o.WeekStart.Begin(t.Add(-CloseDeadline)) }

// Lifecycle is what the contract records bound into the contractor's log
// say, in log order: its end, pauses, amendments, disputes and answers.
// Each record takes effect by being bound (a ledger entry of kind
// ledger.KindRecord); one only signed and sent has no effect on terms.
type Lifecycle struct {
	End        *End
	Holds      []*Hold      // pauses and resumptions, alternating, a pause first
	Amendments []*Amendment // Seq 1, 2, 3…
	Disputes   []*Dispute
	Answers    []*Answer

	offer      *Offer
	contractor ed25519.PublicKey
	bound      map[[32]byte]bool // SHA-256 of each bound record
}

// NewLifecycle is the lifecycle of a contract with nothing bound yet.
func NewLifecycle(o *Offer, a *Acceptance) *Lifecycle {
	return &Lifecycle{offer: o, contractor: a.Contractor.PublicKey, bound: map[[32]byte]bool{}}
}

// Has reports whether the record is bound already.
func (l *Lifecycle) Has(signed []byte) bool { return l.bound[sha256.Sum256(signed)] }

// Bind checks a signed record as bound at at (the binding entry's
// approval time, by the contractor's clock) and takes it in, or changes
// nothing and says why. The rules, for both sides and the offline
// verifier alike:
//   - it is for this contract and signed by a party who may sign it: end,
//     pause, resume by either; amendment and dispute by the employer;
//     answer by the contractor;
//   - an end or a pause reaches back no further than OpenFrom(at), and an
//     end is not in the future;
//   - a pause while paused or ended, a resume while not paused, a second
//     end, a record bound twice are refused;
//   - an amendment takes effect from a week start after at's week and
//     comes in Seq order;
//   - a dispute is bound inside its week's review window;
//   - an answer names a dispute bound before it.
func (l *Lifecycle) Bind(signed []byte, at time.Time) error {
	if l.Has(signed) {
		return ErrAlreadyBound
	}
	if l.End != nil {
		return fmt.Errorf("%w: nothing changes after the end (%s)", ErrEnded, when(l.End.At))
	}
	kind, err := peekKind(signed)
	if err != nil {
		return err
	}
	switch kind {
	case kindEnd:
		err = l.bindEnd(signed, at)
	case kindPause, kindResume:
		err = l.bindHold(signed, at)
	case kindAmendment:
		err = l.bindAmendment(signed, at)
	case kindDispute:
		err = l.bindDispute(signed, at)
	case kindAnswer:
		err = l.bindAnswer(signed)
	default:
		return fmt.Errorf("%w: kind %d is not a change of a contract", ErrWrongKind, kind)
	}
	if err == nil {
		l.bound[sha256.Sum256(signed)] = true
	}
	return err
}

func (l *Lifecycle) isParty(k ed25519.PublicKey) bool {
	return k.Equal(l.offer.EmployerKey) || k.Equal(l.contractor)
}

func (l *Lifecycle) checkOwn(noun string, id ID, by ed25519.PublicKey) error {
	if id != l.offer.ID() {
		return fmt.Errorf("%w: %s is for %s, not %s", ErrWrongContract, noun, id.Short(), l.offer.ID().Short())
	}
	if !l.isParty(by) {
		return fmt.Errorf("%s: %w: the signer is not a party to the contract", noun, ErrWrongSigner)
	}
	return nil
}

func (l *Lifecycle) checkReach(noun string, from, at time.Time) error {
	if open := l.offer.OpenFrom(at); from.Before(open) {
		return fmt.Errorf("%w: %s from %s reaches into a closed week (weeks before %s are closed at %s)",
			ErrWrongTime, noun, when(from), when(open), when(at))
	}
	return nil
}

func (l *Lifecycle) bindEnd(signed []byte, at time.Time) error {
	e, err := DecodeEnd(signed)
	if err != nil {
		return err
	}
	if err := l.checkOwn("end of contract", e.ContractID, e.By); err != nil {
		return err
	}
	if err := l.checkReach("an end", e.At, at); err != nil {
		return err
	}
	if e.At.After(at.Add(futureSlack)) {
		// The contract ends when the end is bound: a future end would
		// leave it ended on one side and running on the other meanwhile.
		return fmt.Errorf("%w: an end from %s is in the future (now %s); end it when the time comes", ErrWrongTime, when(e.At), when(at))
	}
	l.End = e
	return nil
}

func (l *Lifecycle) bindHold(signed []byte, at time.Time) error {
	h, err := DecodeHold(signed)
	if err != nil {
		return err
	}
	if err := l.checkOwn(kindNouns[h.kind()], h.ContractID, h.By); err != nil {
		return err
	}
	last := l.lastHold()
	switch {
	case !h.Resume && last != nil && !last.Resume:
		return fmt.Errorf("%w since %s", ErrPaused, when(last.At))
	case h.Resume && (last == nil || last.Resume):
		return ErrNotPaused
	case h.Resume && h.At.Before(last.At):
		return fmt.Errorf("%w: resumed at %s, before the pause at %s", ErrMalformed, when(h.At), when(last.At))
	case !h.Resume && last != nil && h.At.Before(last.At):
		return fmt.Errorf("%w: paused at %s, before the last resumption at %s", ErrMalformed, when(h.At), when(last.At))
	}
	if !h.Resume {
		if err := l.checkReach("a pause", h.At, at); err != nil {
			return err
		}
	}
	l.Holds = append(l.Holds, h)
	return nil
}

func (h *Hold) kind() uint8 {
	if h.Resume {
		return kindResume
	}
	return kindPause
}

func (l *Lifecycle) lastHold() *Hold {
	if len(l.Holds) == 0 {
		return nil
	}
	return l.Holds[len(l.Holds)-1]
}

func (l *Lifecycle) bindAmendment(signed []byte, at time.Time) error {
	a, err := VerifyAmendment(signed, l.offer)
	if err != nil {
		return err
	}
	if want := uint64(len(l.Amendments) + 1); a.Seq != want {
		return fmt.Errorf("%w: amendment %d, want amendment %d next", ErrMalformed, a.Seq, want)
	}
	if err := checkFrom(l.offer, a.From, at); err != nil {
		return err
	}
	l.Amendments = append(l.Amendments, a)
	return nil
}

func (l *Lifecycle) bindDispute(signed []byte, at time.Time) error {
	d, err := DecodeDispute(signed)
	if err != nil {
		return err
	}
	if err := l.checkOwn("dispute", d.ContractID, d.By); err != nil {
		return err
	}
	if !d.By.Equal(l.offer.EmployerKey) {
		return fmt.Errorf("dispute: %w: only the employer disputes time", ErrWrongSigner)
	}
	if err := d.checkWeek(l.offer); err != nil {
		return err
	}
	from, until := l.offer.ReviewWindow(d.Week(l.offer))
	if at.Before(from) || !at.Before(until) {
		return fmt.Errorf("%w: the week of %s may be disputed from %s until %s, not at %s",
			ErrWrongTime, when(d.Week(l.offer)), when(from), when(until), when(at))
	}
	l.Disputes = append(l.Disputes, d)
	return nil
}

func (l *Lifecycle) bindAnswer(signed []byte) error {
	a, err := DecodeAnswer(signed)
	if err != nil {
		return err
	}
	if err := l.checkOwn("answer", a.ContractID, a.By); err != nil {
		return err
	}
	if !a.By.Equal(l.contractor) {
		return fmt.Errorf("answer: %w: only the contractor answers a dispute", ErrWrongSigner)
	}
	if l.Dispute(a.Dispute) == nil {
		return ErrNoDispute
	}
	l.Answers = append(l.Answers, a)
	return nil
}

// Dispute is the bound dispute with this hash, or nil.
func (l *Lifecycle) Dispute(hash DisputeID) *Dispute {
	for _, d := range l.Disputes {
		if d.Hash() == hash {
			return d
		}
	}
	return nil
}

// AnswersTo are the answers bound to d, in log order.
func (l *Lifecycle) AnswersTo(d *Dispute) []*Answer {
	var out []*Answer
	for _, a := range l.Answers {
		if a.Dispute == d.Hash() {
			out = append(out, a)
		}
	}
	return out
}

// Paused reports whether the contract is paused at t, and since when.
func (l *Lifecycle) Paused(t time.Time) (since time.Time, paused bool) {
	for i := 0; i < len(l.Holds); i += 2 {
		from := l.Holds[i].At
		if t.Before(from) {
			continue
		}
		if i+1 == len(l.Holds) || t.Before(l.Holds[i+1].At) {
			return from, true
		}
	}
	return time.Time{}, false
}

// TermsFor is the rate and weekly limit in force in the week starting at
// week: the last amendment whose From is not after it, else the offer's.
func (l *Lifecycle) TermsFor(week time.Time) (rateMinor int64, weeklyLimitHours int) {
	rateMinor, weeklyLimitHours = l.offer.RateMinor, l.offer.WeeklyLimitHours
	for _, a := range l.Amendments {
		if !a.From.After(week) {
			rateMinor, weeklyLimitHours = a.RateMinor, a.WeeklyLimitHours
		}
	}
	return rateMinor, weeklyLimitHours
}

// DisputeOf is the bound dispute naming the segment at start, or nil.
func (l *Lifecycle) DisputeOf(start time.Time) *Dispute {
	for _, d := range l.Disputes {
		if d.Covers(start) {
			return d
		}
	}
	return nil
}

// clone copies the lifecycle's own slices and set; the records are never
// modified once decoded.
func (l *Lifecycle) clone() *Lifecycle {
	cp := *l
	cp.Holds, cp.Amendments = slices.Clone(l.Holds), slices.Clone(l.Amendments)
	cp.Disputes, cp.Answers = slices.Clone(l.Disputes), slices.Clone(l.Answers)
	cp.bound = maps.Clone(l.bound)
	return &cp
}

// Forged reports whether a Bind error says the record is not a sound
// record of this contract's parties at all (bad signature, another
// contract, a signer who may not sign it, bytes that do not decode), as
// opposed to a sound record whose moment is wrong. A contractor's node
// never binds the former, so a log that does is forged; the latter is a
// term a dishonest or confused party broke, refused like any such entry.
func Forged(err error) bool {
	for _, e := range []error{ErrBadSignature, ErrWrongContract, ErrWrongSigner, ErrMalformed, ErrWrongKind, ErrNewerVersion} {
		if errors.Is(err, e) {
			return true
		}
	}
	return false
}
