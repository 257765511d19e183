package timesheet

import (
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
)

// bound is what a log says once walked in order: the contract's lifecycle
// from the records it binds (contract.Lifecycle.Bind, with the binding
// entry's approval time), the live time entries the entry rules admit
// where they stand in the log (the rules the employer applied when each
// arrived: a pause bound later does not refuse time already taken), and
// the refusals with time in the week.
type bound struct {
	life    *contract.Lifecycle
	counted []ledger.Signed
	refused []Refused
}

// walk reads log. A record that is no sound record of the contract's
// parties means the log is forged (the contractor's node never binds one):
// an error. A sound record whose moment is wrong is refused and listed.
func walk(o *contract.Offer, a *contract.Acceptance, log []ledger.Signed, week Week, closed []ledger.WeekClose) (bound, error) {
	b := bound{life: contract.NewLifecycle(o, a), counted: make([]ledger.Signed, 0, len(log))}
	voided := map[uint64]bool{}
	for _, s := range log {
		if s.Entry.Kind == ledger.KindVoid {
			voided[s.Entry.Voids.Seq] = true
		}
	}
	// The rules change only when a record binds: built once per change,
	// not once per entry of a year's log.
	rules := b.life.EntryRules().WithClosed(closed)
	for _, s := range log {
		e := s.Entry
		switch {
		case e.Kind == ledger.KindRecord:
			err := b.life.Bind(e.Record, time.Unix(e.ApprovedAt, 0))
			rules = b.life.EntryRules().WithClosed(closed)
			if contract.Forged(err) {
				return bound{}, classify(entryName(int(e.Seq)), err)
			}
			if err != nil && week.Contains(time.Unix(e.ApprovedAt, 0)) {
				b.refused = append(b.refused, Refused{Seq: e.Seq, Start: rfc3339(time.Unix(e.Start, 0)),
					Reason: "a contract record that does not apply: " + err.Error()})
			}
		case e.Kind == ledger.KindVoid || voided[e.Seq]:
		default:
			if err := rules.Check(e); err != nil {
				if slices.ContainsFunc(minuteTimes(e), func(t int64) bool { return week.Contains(time.Unix(t, 0)) }) {
					b.refused = append(b.refused, Refused{Seq: e.Seq, Start: rfc3339(time.Unix(e.Start, 0)), Reason: err.Error()})
				}
				continue
			}
			b.counted = append(b.counted, s)
		}
	}
	return b, nil
}

// checkEnd: an end of contract given beside the log must be the one the
// log binds; one the log does not bind has no effect on anything and is
// refused rather than shown as if it had.
func checkEnd(given []byte, life *contract.Lifecycle) error {
	if given == nil {
		return nil
	}
	if _, err := contract.DecodeEnd(given); err != nil {
		return classify("end of contract", err)
	}
	if life.End == nil || !slices.Equal(given, life.End.Signed()) {
		return fmt.Errorf("%w: end of contract: it is not bound into the contractor's log, so it ends nothing", ErrTampered)
	}
	return nil
}

// pausedIn are the pauses that overlap the week, as spans.
func pausedIn(life *contract.Lifecycle, w Week) []Span {
	var out []Span
	for _, p := range life.EntryRules().Paused {
		if !p.From.Before(w.End) || (!p.Until.IsZero() && !p.Until.After(w.Start)) {
			continue
		}
		s := Span{From: rfc3339(p.From)}
		if !p.Until.IsZero() {
			s.Until = rfc3339(p.Until)
		}
		out = append(out, s)
	}
	return out
}

// disputesOf are the disputes of the week's segments, with their answers.
func disputesOf(life *contract.Lifecycle, o *contract.Offer, w Week) []Dispute {
	var out []Dispute
	for _, d := range life.Disputes {
		if !d.Week(o).Equal(w.Start) {
			continue
		}
		h := d.Hash()
		v := Dispute{ID: hex.EncodeToString(h[:]), At: rfc3339(d.At), Reason: d.Reason}
		for _, s := range d.Segments {
			v.Segments = append(v.Segments, rfc3339(s))
		}
		for _, a := range life.AnswersTo(d) {
			v.Answers = append(v.Answers, rfc3339(a.At)+" "+a.Text)
		}
		out = append(out, v)
	}
	return out
}
