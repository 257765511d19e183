package timesheet

import (
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
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
	// End, when set, must be the end of contract the log binds (it is
	// taken from the log; this is a copy a bundle carries for readers).
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
	// Checkpoint, for a week not closed, is the note both parties signed
	// of exactly Entries. With it Build checks the entries give its root
	// and the signatures of the entries it counts, not each of the log's:
	// the contractor's signature on the root covers every entry's bytes,
	// so a year's log costs its hashing, not 2,600 signature checks.
	Checkpoint []byte
	// Review, with Close, is a checkpoint both parties signed after the
	// close. Building from the log (no Proofs), Entries then run up to its
	// size, and the disputes of the week and their answers bound after the
	// close are taken with their proofs; checking a bundle (Proofs set),
	// ReviewEntries are those records, ReviewProofs their inclusion proofs
	// against Review and Consistency the proof that Review extends the
	// close. Without it the week shows what was bound up to its close.
	Review        []byte
	ReviewEntries [][]byte
	ReviewProofs  [][][32]byte
	Consistency   [][32]byte
}

// Build verifies the inputs and computes the week's timesheet. The log is
// verified from the zero head (signatures, chain, contract, log ID) before
// anything is counted; with a Checkpoint, its root stands for the
// signatures of the entries not counted. SignedBy is left empty: Export
// fills it.
func Build(in Input) (Timesheet, error) {
	offer, err := contract.DecodeOffer(in.Offer)
	if err != nil {
		return Timesheet{}, classify("offer", err)
	}
	acc, err := contract.VerifyAcceptance(in.Acceptance, offer)
	if err != nil {
		return Timesheet{}, classify("acceptance", err)
	}
	week, err := ParseWeek(in.Week, offer.Weeks())
	if err != nil {
		return Timesheet{}, err
	}
	cid := offer.ID()
	conKey := acc.Contractor.PublicKey
	if in.Close != nil {
		return buildClosed(in, offer, acc, week)
	}
	if in.Checkpoint != nil {
		cp, err := openCheckpoint(in.Checkpoint, offer.EmployerKey, conKey, in.Entries)
		if err != nil {
			return Timesheet{}, err
		}
		log, err := pinnedLog(cid, conKey, cp, in.Entries)
		if err != nil {
			return Timesheet{}, err
		}
		return buildOpen(in, offer, acc, week, log, &cp, nil)
	}
	log, err := ledger.VerifyChain(cid, conKey, ledger.Head{}, nil, in.Entries...)
	if err != nil {
		return Timesheet{}, classify("entries", err)
	}
	return buildOpen(in, offer, acc, week, log, nil, nil)
}

// pinnedLog is the whole log under a cosigned checkpoint: its root, then
// the chain rules without each entry's signature (ledger.VerifyPinned).
func pinnedLog(cid contract.ID, conKey []byte, cp ledger.Checkpoint, entries [][]byte) ([]ledger.Signed, error) {
	log, err := ledger.VerifyPinned(cid, conKey, cp, entries)
	switch {
	case errors.Is(err, ledger.ErrCheckpointMismatch):
		return nil, fmt.Errorf("%s: %w: %w", fileCheckpoint, ErrTampered, err)
	case err != nil:
		return nil, classify("entries", err)
	}
	return log, nil
}

// buildOpen computes a week not closed from the verified log. Under a
// checkpoint (cp set) it checks the signature of each entry it counts, so
// nothing counts on the root alone.
//
// known is a log already verified under the same inputs (the export's
// check of its own zip): the signatures it checked are not checked again.
func buildOpen(in Input, offer *contract.Offer, acc *contract.Acceptance, week Week, log []ledger.Signed, cp *ledger.Checkpoint, known *pinned) (Timesheet, error) {
	conKey := acc.Contractor.PublicKey
	ts, endBytes, err := compute(offer, acc, week, log, nil, nil, in.End)
	if err != nil {
		return Timesheet{}, err
	}
	logID := ledger.LogIDOf(offer.ID(), conKey)
	var root [32]byte
	if cp != nil {
		if err := countedSigned(ts.Entries, log, conKey, known.signedSeqs()); err != nil {
			return Timesheet{}, err
		}
		root = cp.Root
	} else {
		root = ledger.CheckpointFor(logID, in.Entries).Root
	}
	ts.LogID, ts.LogSize = hex.EncodeToString(logID[:]), uint64(len(in.Entries))
	ts.LogRoot = base64.StdEncoding.EncodeToString(root[:])
	ts.src = sources{offer: in.Offer, acceptance: in.Acceptance, end: endBytes, entries: in.Entries,
		employerKey: offer.EmployerKey, contractorKey: conKey,
		employerSigned: offer.EmployerName, contractorSigned: acc.Contractor.Name}
	if cp != nil {
		ts.src.pinned = &pinned{offer: in.Offer, acceptance: in.Acceptance, checkpoint: in.Checkpoint, log: log, signed: ts.Entries}
	}
	return ts, nil
}

// countedSigned checks the contractor's signature on each entry counted
// (seqs, in a log from seq 1), except those in checked: seqs whose
// signatures were checked on the same bytes already.
func countedSigned(seqs []uint64, log []ledger.Signed, conKey []byte, checked map[uint64]bool) error {
	for _, seq := range seqs {
		if seq == 0 || seq > uint64(len(log)) {
			return fmt.Errorf("%w: seq %d is not in the log of %d entries", ErrTampered, seq, len(log))
		}
		if checked[seq] {
			continue
		}
		if _, err := ledger.VerifyEntry(log[seq-1].Bytes, conKey); err != nil {
			return classify(entryName(int(seq)), err)
		}
	}
	return nil
}

// compute counts the week from verified entries (the whole log, or a
// closed week's entries with the contract records up to its close) under
// the terms in force that week and the weeks closed. Display names are the
// ones signed in the offer and the acceptance, never anyone's free text.
// It returns the end of contract the log binds, as signed bytes.
func compute(offer *contract.Offer, acc *contract.Acceptance, week Week, log, reviewed []ledger.Signed, closed []ledger.WeekClose, givenEnd []byte) (Timesheet, []byte, error) {
	b, err := walk(offer, acc, log, week, closed)
	if err != nil {
		return Timesheet{}, nil, err
	}
	err = bindReviewed(b.life, offer, week, reviewed)
	if err != nil {
		return Timesheet{}, nil, err
	}
	if err := checkEnd(givenEnd, b.life); err != nil {
		return Timesheet{}, nil, err
	}
	end := b.life.End
	rate, limit := b.life.TermsFor(week.Start)
	p := policy{from: acc.AcceptedAt.Add(-AcceptanceGrace).Unix(), limit: limit * 60, manualBillable: offer.ManualTime,
		terms: offer.Terms, paused: b.life.EntryRules().Paused, life: b.life, weeks: offer.Weeks()}
	if end != nil {
		p.until = end.At.Unix()
	}
	tally, err := count(week, &p, b.counted, rate)
	if err != nil {
		return Timesheet{}, nil, err
	}
	ts := assemble(offer, acc, end, week, tally)
	ts.RateMinor, ts.Rate, ts.WeeklyLimitHours = rate, contract.FormatRate(rate, offer.Currency), limit
	ts.Totals.Amount = contract.FormatRate(ts.Totals.AmountMinor, offer.Currency)
	if ts.Totals.DisputedMinutes > 0 {
		ts.Totals.DisputedAmount = contract.FormatRate(ts.Totals.DisputedAmountMinor, offer.Currency)
	}
	ts.Refused, ts.Paused, ts.Disputes = b.refused, pausedIn(b.life, week), disputesOf(b.life, offer, week)
	ts.Corrections = corrections(b.counted, week, offer.Weeks())
	ts.Employer = partyOf(offer.EmployerName, offer.EmployerKey)
	ts.Contractor = partyOf(acc.Contractor.Name, acc.Contractor.PublicKey)
	var endBytes []byte
	if end != nil {
		endBytes = end.Signed()
	}
	return ts, endBytes, nil
}

func assemble(o *contract.Offer, a *contract.Acceptance, end *contract.End, w Week, t tally) Timesheet {
	ts := Timesheet{
		Version: Version, ContractID: o.ID().String(), Title: o.Title,
		Week: w.String(), WeekStart: rfc3339(w.Start), WeekEnd: rfc3339(w.End), WeekZone: o.WeekZone,
		ContractStart: rfc3339(a.AcceptedAt.Add(-AcceptanceGrace)),
		Currency:      o.Currency, RateMinor: o.RateMinor, Rate: contract.FormatRate(o.RateMinor, o.Currency),
		WeeklyLimitHours: o.WeeklyLimitHours, ManualTimeBillable: o.ManualTime,
		Days: t.days, Totals: t.totals, Entries: t.seqs, rows: t.rows, zone: w.Zone,
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
func corrections(counted []ledger.Signed, week Week, weeks contract.Weeks) []Correction {
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
				Corrects: WeekOf(time.Unix(s.Entry.Corrects, 0), weeks).String(), Minutes: n})
		}
	}
	return out
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
