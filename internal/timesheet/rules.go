package timesheet

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
)

// The billing rules, applied minute by minute in time order:
//
//  0. An entry the contract's entry rules refuse (contract.EntryRules: a
//     segment starting before the offer less a day or after the end,
//     manual time the contract does not allow, a webcam photo, a sharp
//     screenshot where blur is required, too many screenshots) counts for
//     nothing, as the employer refused it on receipt: it is listed under
//     "refused" and takes no part in the rules below.
//  1. A minute counts in the week when its own start lies in the week, so
//     a segment that straddles a week start (week starts need not be
//     multiples of ten minutes) is split exactly. Days are UTC dates.
//  2. An auto entry tracks the minutes it has rows for. A manual entry has
//     no minute rows (ledger.Validate forbids them), so it counts as the
//     whole segment: ManualEntryMinutes minutes.
//  3. A minute that ended before the contract's start (the acceptance, less
//     AcceptanceGrace) or starts at or after the end of contract is outside
//     the contract: tracked, not billable.
//  4. A manual minute is billable only if the contract allows manual time
//     (rule 0 already refuses manual entries where it does not).
//  4a. A minute of an entry the terms call unverified (its session could
//     not take the screenshots or input counts the terms ask for:
//     contract.Terms.UnverifiedTime) is counted in UnverifiedMinutes, and
//     under the contract's `unverified` term it is billable as any other
//     (separate, the default, and bill) or not billable (exclude).
//  3a. So is a minute inside a pause bound into the log.
//  5. The remaining minutes are billable until the week has WeeklyLimit×60
//     of them; later ones are over the limit. Earlier time uses the limit
//     first, whatever order it was approved in. The limit and the rate are
//     those in force in the week: the offer's, or the last amendment bound
//     into the log whose week start is not after the week's.
//  5a. A billable minute of a segment a dispute bound into the log names
//     is disputed instead: it keeps its place under the limit, and is
//     counted in DisputedMinutes, not billed.
//  6. Amount = billable minutes × rate per hour / 60 in integer minor
//     units, rounded half up once, on the week's total (never per day or
//     per entry, and never through floating point).

// AcceptanceGrace opens the billable window a day before the signed
// acceptance: the two machines' clocks need not agree, the segment times
// are the contractor's claims in any case (docs/security.md), and the
// employer's sync checks allow the same day. Work claimed earlier than
// that is tracked but never billed.
const AcceptanceGrace = 24 * time.Hour

// ManualEntryMinutes is what one manual entry counts for: a whole segment.
const ManualEntryMinutes = ledger.SegmentSeconds / 60

type minuteClass uint8

const (
	billable minuteClass = iota
	overLimit
	manualExcluded
	outsideContract
	unverifiedExcluded
	disputed
)

// policy is the contract terms that decide what is billable.
type policy struct {
	from, until    int64 // contract period, Unix seconds; until 0 = still running
	limit          int   // weekly limit in minutes; 0 = none
	manualBillable bool
	terms          contract.Terms // which entries are unverified, and how they bill
	used           int            // billable minutes so far this week
	paused         []contract.Span
	life           *contract.Lifecycle // disputes; nil: none
	weeks          contract.Weeks      // names the week a correction corrects
}

// outside: before the start, at or after the end, or in a pause.
func (p *policy) outside(t int64) bool {
	if t+60 <= p.from || (p.until != 0 && t >= p.until) {
		return true
	}
	at := time.Unix(t, 0)
	return slices.ContainsFunc(p.paused, func(s contract.Span) bool { return s.Contains(at) })
}

func (p *policy) classify(t int64, manual, unverified bool) minuteClass {
	switch {
	case p.outside(t):
		return outsideContract
	case manual && !p.manualBillable:
		return manualExcluded
	case unverified && p.terms.Unverified == contract.UnverifiedExclude:
		return unverifiedExcluded
	case p.limit > 0 && p.used >= p.limit:
		return overLimit
	}
	p.used++
	return billable
}

// Row is one counted entry: a line of the CSV.
type Row struct {
	Seq             uint64
	Start, End      time.Time // the segment
	Minutes         int       // tracked minutes inside the week
	Active          int       // minutes with input, of 10 (auto entries)
	Memo            string
	Kind            ledger.Kind
	BillableMinutes int
	// Unverified is what the entry's session could not record, when the
	// terms asked for it ("" otherwise).
	Unverified string
	// Corrects is the closed week (ISO) this entry makes up for, or "".
	Corrects string
	// DisputedMinutes would be billable but the employer disputes them
	// (Dispute, with the contractor's Answers); they are not in
	// BillableMinutes.
	DisputedMinutes int
	Dispute         string
	Answers         []string
}

type tally struct {
	days   []Day
	totals Totals
	seqs   []uint64
	rows   []Row
}

// count applies the rules to the live entries of a log.
func count(w Week, p *policy, entries []ledger.Signed, rateMinor int64) (tally, error) {
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Entry.Start < entries[j].Entry.Start })
	var t tally
	index := map[string]int{}
	for i, d := range w.Dates() {
		t.days = append(t.days, Day{Date: d})
		index[d] = i
	}
	for _, s := range entries {
		if row, ok := t.add(w, p, s.Entry, index); ok {
			t.rows = append(t.rows, row)
			t.seqs = append(t.seqs, s.Entry.Seq)
		}
	}
	amount, err := amountMinor(t.totals.BillableMinutes, rateMinor)
	t.totals.AmountMinor = amount
	if err != nil {
		return t, err
	}
	t.totals.DisputedAmountMinor, err = amountMinor(t.totals.DisputedMinutes, rateMinor)
	return t, err
}

// add counts e's minutes that lie in the week; ok is false if none do.
func (t *tally) add(w Week, p *policy, e ledger.Entry, index map[string]int) (Row, bool) {
	manual := e.Kind == ledger.KindManual
	unverified := p.terms.UnverifiedTime(e)
	row := Row{Seq: e.Seq, Start: time.Unix(e.Start, 0).UTC(), Memo: e.Memo, Kind: e.Kind}
	if unverified {
		row.Unverified = e.Limits.String()
	}
	row.End = row.Start.Add(ledger.SegmentSeconds * time.Second)
	if e.Corrects != 0 {
		row.Corrects = WeekOf(time.Unix(e.Corrects, 0), p.weeks).String()
	}
	for _, at := range minuteTimes(e) {
		tm := time.Unix(at, 0).UTC()
		if !w.Contains(tm) {
			continue
		}
		d := &t.days[index[w.Date(tm)]]
		row.Minutes++
		d.TrackedMinutes++
		t.totals.TrackedMinutes++
		if manual {
			d.ManualMinutes++
			t.totals.ManualMinutes++
		}
		if unverified {
			t.totals.UnverifiedMinutes++
		}
		class := p.classify(at, manual, unverified)
		if class == billable && p.life != nil && p.life.DisputeOf(row.Start) != nil {
			class = disputed // it takes its place under the limit, but is not billed
		}
		switch class {
		case disputed:
			row.DisputedMinutes++
			t.totals.DisputedMinutes++
		case billable:
			row.BillableMinutes++
			d.BillableMinutes++
			t.totals.BillableMinutes++
		case overLimit:
			t.totals.OverLimitMinutes++
		case manualExcluded:
			t.totals.ManualExcludedMinutes++
		case outsideContract:
			t.totals.OutsideContractMinutes++
		case unverifiedExcluded:
			t.totals.UnverifiedExcludedMinutes++
		}
	}
	for _, m := range e.Minutes {
		if m.Active() {
			row.Active++
		}
	}
	if row.DisputedMinutes > 0 {
		d := p.life.DisputeOf(row.Start)
		row.Dispute = d.Reason
		for _, a := range p.life.AnswersTo(d) {
			row.Answers = append(row.Answers, a.Text)
		}
	}
	return row, row.Minutes > 0
}

// minuteTimes are the start times of the minutes an entry tracks.
func minuteTimes(e ledger.Entry) []int64 {
	var out []int64
	if e.Kind == ledger.KindManual {
		for i := range ManualEntryMinutes {
			out = append(out, e.Start+int64(i)*60)
		}
		return out
	}
	for _, m := range e.Minutes {
		out = append(out, e.Start+int64(m.Index)*60)
	}
	return out
}

// amountMinor is minutes × rate / 60 rounded half up, in integers.
func amountMinor(minutes int, rateMinor int64) (int64, error) {
	if minutes == 0 {
		return 0, nil
	}
	if rateMinor > (math.MaxInt64-30)/int64(minutes) {
		return 0, fmt.Errorf("%w: rate %d × %d minutes overflows", ErrBadInput, rateMinor, minutes)
	}
	return (int64(minutes)*rateMinor + 30) / 60, nil
}
