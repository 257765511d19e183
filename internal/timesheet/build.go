package timesheet

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/ledger"
)

// Input is everything a timesheet is computed from. All of it is signed
// bytes exactly as stored, except the week and the display names.
type Input struct {
	Offer      []byte // the employer's signed offer
	Acceptance []byte // the contractor's signed acceptance
	// End is the signed end of contract (contract.End), or nil while the
	// contract runs. Time after its At is not billable.
	End []byte
	// Entries is the contractor's log from seq 1, in order, as received.
	// Pass it up to the size of the cosigned checkpoint (or week close)
	// that goes into the bundle; entries after the week are fine (they
	// only pin the log).
	Entries [][]byte
	Week    string // ISO week, "2026-W48"
	// Close is the week's close, cosigned by both parties, when the week
	// is closed: the timesheet then counts the week as closed, and its
	// bundle carries only the week's entries with inclusion proofs.
	Close []byte
	// Proofs, with Close, says Entries are already only the week's
	// entries, each with its inclusion proof (how a bundle is checked).
	Proofs [][][32]byte
}

// Build verifies the inputs and computes the week's timesheet. The log is
// verified from the zero head (signatures, chain, contract, log ID) before
// anything is counted. SignedBy is left empty: Export fills it.
func Build(in Input) (Timesheet, error) {
	offer, err := contract.DecodeOffer(in.Offer)
	if err != nil {
		return Timesheet{}, classify("offer", err)
	}
	acc, err := contract.VerifyAcceptance(in.Acceptance, offer)
	if err != nil {
		return Timesheet{}, classify("acceptance", err)
	}
	end, err := decodeEnd(in.End, offer, acc)
	if err != nil {
		return Timesheet{}, err
	}
	week, err := ParseWeek(in.Week, offer.WeekStart)
	if err != nil {
		return Timesheet{}, err
	}
	cid := [32]byte(offer.ID())
	conKey := acc.Contractor.PublicKey
	if in.Close != nil {
		return buildClosed(in, offer, acc, end, week)
	}
	log, err := ledger.VerifyChain(cid, conKey, ledger.Head{}, nil, in.Entries...)
	if err != nil {
		return Timesheet{}, classify("entries", err)
	}
	ts, err := compute(offer, acc, end, week, log, offer.EntryRules(end))
	if err != nil {
		return Timesheet{}, err
	}
	logID := ledger.LogID(cid, conKey)
	ts.LogID, ts.LogSize = hex.EncodeToString(logID[:]), uint64(len(in.Entries))
	root := ledger.CheckpointFor(logID, in.Entries).Root
	ts.LogRoot = base64.StdEncoding.EncodeToString(root[:])
	ts.src = sources{offer: in.Offer, acceptance: in.Acceptance, end: in.End, entries: in.Entries,
		employerKey: offer.EmployerKey, contractorKey: conKey,
		employerSigned: offer.EmployerName, contractorSigned: acc.Contractor.Name}
	return ts, nil
}

// compute counts the week from verified entries (the whole log, or the
// closed week's entries) under rules. Display names are the ones signed
// in the offer and the acceptance, never anyone's free text.
func compute(offer *contract.Offer, acc *contract.Acceptance, end *contract.End, week Week, log []ledger.Signed, rules contract.EntryRules) (Timesheet, error) {
	p := policy{from: acc.AcceptedAt.Add(-AcceptanceGrace).Unix(), limit: offer.WeeklyLimitHours * 60, manualBillable: offer.ManualTime, terms: offer.Terms}
	if end != nil {
		p.until = end.At.Unix()
	}
	counted, refused := admitted(live(log), rules, week)
	tally, err := count(week, &p, counted, offer.RateMinor)
	if err != nil {
		return Timesheet{}, err
	}
	ts := assemble(offer, acc, end, week, tally)
	ts.Refused = refused
	ts.Corrections = corrections(counted, week, offer.WeekStart)
	ts.Employer = partyOf(offer.EmployerName, offer.EmployerKey)
	ts.Contractor = partyOf(acc.Contractor.Name, acc.Contractor.PublicKey)
	return ts, nil
}

func assemble(o *contract.Offer, a *contract.Acceptance, end *contract.End, w Week, t tally) Timesheet {
	ts := Timesheet{
		Version: Version, ContractID: o.ID().String(), Title: o.Title,
		Week: w.String(), WeekStart: rfc3339(w.Start), WeekEnd: rfc3339(w.End),
		ContractStart: rfc3339(a.AcceptedAt.Add(-AcceptanceGrace)),
		Currency:      o.Currency, RateMinor: o.RateMinor, Rate: contract.FormatRate(o.RateMinor, o.Currency),
		WeeklyLimitHours: o.WeeklyLimitHours, ManualTimeBillable: o.ManualTime,
		Days: t.days, Totals: t.totals, Entries: t.seqs, rows: t.rows,
	}
	if end != nil {
		ts.ContractEnd = rfc3339(end.At)
	}
	if t.totals.UnverifiedMinutes > 0 {
		ts.Unverified = o.Unverified.String()
	}
	ts.Totals.Amount = contract.FormatRate(ts.Totals.AmountMinor, o.Currency)
	if ts.Entries == nil {
		ts.Entries = []uint64{}
	}
	return ts
}

// decodeEnd checks that an end of contract is for this contract and signed
// by one of its two parties.
func decodeEnd(b []byte, o *contract.Offer, a *contract.Acceptance) (*contract.End, error) {
	if b == nil {
		return nil, nil
	}
	e, err := contract.DecodeEnd(b)
	if err != nil {
		return nil, classify("end of contract", err)
	}
	if e.ContractID != o.ID() {
		return nil, fmt.Errorf("%w: end of contract is for %s, not %s", ErrBadInput, e.ContractID.Short(), o.ID().Short())
	}
	if !e.By.Equal(o.EmployerKey) && !e.By.Equal(a.Contractor.PublicKey) {
		return nil, fmt.Errorf("%w: end of contract is signed by neither party", ErrBadSignature)
	}
	return e, nil
}

// live returns the auto and manual entries no void in log withdraws.
func live(log []ledger.Signed) []ledger.Signed {
	voided := map[uint64]bool{}
	for _, s := range log {
		if s.Entry.Kind == ledger.KindVoid {
			voided[s.Entry.Voids.Seq] = true
		}
	}
	var out []ledger.Signed
	for _, s := range log {
		if s.Entry.Kind != ledger.KindVoid && !voided[s.Entry.Seq] {
			out = append(out, s)
		}
	}
	return out
}

// admitted splits live entries into those the contract's entry rules
// admit and those they refuse: the same rules, in the same code, that the
// employer applied when the entries arrived, so a refused entry counts
// for nothing here either. Refusals with time in week are listed.
func admitted(entries []ledger.Signed, rules contract.EntryRules, week Week) ([]ledger.Signed, []Refused) {
	var kept []ledger.Signed
	var refused []Refused
	for _, s := range entries {
		err := rules.Check(s.Entry)
		if err == nil {
			kept = append(kept, s)
			continue
		}
		if slices.ContainsFunc(minuteTimes(s.Entry), func(t int64) bool { return week.Contains(time.Unix(t, 0)) }) {
			refused = append(refused, Refused{Seq: s.Entry.Seq, Start: rfc3339(time.Unix(s.Entry.Start, 0)), Reason: err.Error()})
		}
	}
	return kept, refused
}

// classify wraps err under ErrBadSignature when a signature failed and
// under ErrTampered otherwise, keeping err for errors.Is.
func classify(what string, err error) error {
	kind := ErrTampered
	if errors.Is(err, cose.ErrBadSignature) || errors.Is(err, contract.ErrBadSignature) ||
		errors.Is(err, cose.ErrWrongKey) || errors.Is(err, contract.ErrWrongSigner) {
		kind = ErrBadSignature
	}
	if strings.Contains(err.Error(), kind.Error()) { // say it once
		return fmt.Errorf("%s: %w", what, both{kind, err})
	}
	return fmt.Errorf("%s: %w: %w", what, kind, err)
}

// both is err, also matching kind under errors.Is, without repeating
// kind's text.
type both struct{ kind, err error }

func (b both) Error() string   { return b.err.Error() }
func (b both) Unwrap() []error { return []error{b.kind, b.err} }

func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }

// corrections lists the counted entries with time in week that name a
// closed week they make up for.
func corrections(counted []ledger.Signed, week Week, ws contract.WeekStart) []Correction {
	var out []Correction
	for _, s := range counted {
		if s.Entry.Corrects == 0 {
			continue
		}
		n := 0
		for _, t := range minuteTimes(s.Entry) {
			if week.Contains(time.Unix(t, 0)) {
				n++
			}
		}
		if n > 0 {
			out = append(out, Correction{Seq: s.Entry.Seq, Start: rfc3339(time.Unix(s.Entry.Start, 0)),
				Corrects: WeekOf(time.Unix(s.Entry.Corrects, 0), ws).String(), Minutes: n})
		}
	}
	return out
}
