package timesheet

import (
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
)

// A week's review window opens at its close, so its disputes and their
// answers are bound into the log after the close, in later weeks. A
// closed week's bundle carries them, and only them, proven against a
// later checkpoint both parties signed, with the proof that this
// checkpoint extends the close (docs/format.md §5.4).
const (
	reviewDir       = "review/"
	fileReview      = reviewDir + "checkpoint.note"
	fileConsistency = reviewDir + "consistency.proof"
)

func reviewName(seq uint64) string      { return provenName(reviewDir, seq, "cose") }
func reviewProofName(seq uint64) string { return provenName(reviewDir, seq, "proof") }

// review is what a closed week's timesheet carries of the records bound
// after its close. From the log, log and cp are the whole log up to the
// later checkpoint, from which pick takes the records.
type review struct {
	note        []byte
	consistency [][32]byte
	entries     [][]byte
	seqs        []uint64
	proofs      [][][32]byte
	log         []ledger.Signed
	cp          ledger.Checkpoint
}

// reviewOfLog opens note, the later checkpoint both parties signed, of
// all (the log from seq 1 up to its size) and proves it extends the close.
// Nothing after the close gives an empty review.
func reviewOfLog(note []byte, offer *contract.Offer, conKey []byte, w ledger.WeekClose, all [][]byte) (review, error) {
	cp, err := openCosigned(fileReview, note, offer.EmployerKey, conKey)
	if err != nil {
		return review{}, err
	}
	if err := ledger.CheckCheckpoint(cp, w.LogID, all); err != nil {
		return review{}, fmt.Errorf("%w: %s: %w", ErrBadInput, fileReview, err)
	}
	if cp.Size <= w.Size {
		return review{}, nil
	}
	log, leaves := make([]ledger.Signed, len(all)), make([][32]byte, len(all))
	for i, b := range all {
		log[i], leaves[i] = ledger.Signed{Bytes: b}, ledger.LeafHash(b)
		if uint64(i) < w.Size {
			continue
		}
		// Own entries under a root both parties signed: read, not
		// verified; the records picked are verified with the bundle.
		if log[i].Entry, err = ledger.ReadOwnEntry(b); err != nil {
			return review{}, classify(reviewName(uint64(i+1)), err)
		}
	}
	cons, err := ledger.ConsistencyProof(leaves, w.Size)
	if err != nil {
		return review{}, err
	}
	return review{note: note, consistency: cons, log: log[:cp.Size], cp: cp}, nil
}

// pick keeps, of the records after the close, the disputes of week and
// the answers to them that bind where they stand in the whole log (after
// the week's records), with their inclusion proofs. None gives an empty
// review: the bundle is then as it was at the close.
func (r review) pick(o *contract.Offer, a *contract.Acceptance, week Week, weekLog []ledger.Signed) (review, error) {
	life := contract.NewLifecycle(o, a)
	for _, s := range weekLog {
		if s.Entry.Kind == ledger.KindRecord {
			_ = life.Bind(s.Entry.Record, time.Unix(s.Entry.ApprovedAt, 0)) // walk lists what does not bind
		}
	}
	var picked []ledger.Signed
	for _, s := range r.log {
		e := s.Entry
		if e.Seq == 0 || e.Kind != ledger.KindRecord {
			continue
		}
		if life.Bind(e.Record, time.Unix(e.ApprovedAt, 0)) == nil && aboutWeek(life, o, week, e.Record) == nil {
			picked = append(picked, s)
		}
	}
	if len(picked) == 0 {
		return review{}, nil
	}
	proofs, err := ledger.WeekProofs(r.log, r.cp.Size, picked)
	if err != nil {
		return review{}, err
	}
	out := review{note: r.note, consistency: r.consistency, proofs: proofs}
	for _, s := range picked {
		out.entries, out.seqs = append(out.entries, s.Bytes), append(out.seqs, s.Entry.Seq)
	}
	return out, nil
}

// verify checks the review's checkpoint (both signatures), that it
// extends the close, and each record's signature and place in it.
func (r review) verify(offer *contract.Offer, conKey []byte, w ledger.WeekClose) ([]ledger.Signed, ledger.Checkpoint, error) {
	if r.note == nil {
		return nil, ledger.Checkpoint{}, nil
	}
	if len(r.entries) == 0 {
		return nil, ledger.Checkpoint{}, fmt.Errorf("%w: %s (no record after the close to prove)", ErrExtraFile, fileReview)
	}
	cp, err := openCosigned(fileReview, r.note, offer.EmployerKey, conKey)
	if err != nil {
		return nil, ledger.Checkpoint{}, err
	}
	out, err := ledger.VerifyAfterClose(offer.ID(), conKey, w, cp, r.consistency, r.entries, r.proofs)
	if err != nil {
		return nil, ledger.Checkpoint{}, classify("review", err)
	}
	return out, cp, nil
}

// bindReviewed binds the records after the close, each a dispute of week
// or an answer to one, under the rules the whole log obeys (a dispute by
// the employer within the week's review window, an answer by the
// contractor to a dispute bound before it). Anything else is refused.
func bindReviewed(life *contract.Lifecycle, o *contract.Offer, week Week, reviewed []ledger.Signed) error {
	for _, s := range reviewed {
		e := s.Entry
		if err := aboutWeek(life, o, week, e.Record); err != nil {
			return fmt.Errorf("%s: %w", reviewName(e.Seq), err)
		}
		if err := life.Bind(e.Record, time.Unix(e.ApprovedAt, 0)); err != nil {
			return classify(reviewName(e.Seq), err)
		}
	}
	return nil
}

// aboutWeek checks a record is a dispute of week, or an answer to one
// (bound already, or not at all: Bind then refuses it).
func aboutWeek(life *contract.Lifecycle, o *contract.Offer, week Week, rec []byte) error {
	kind, err := contract.RecordKind(rec)
	if err != nil {
		return classify("record", err)
	}
	var of time.Time
	switch kind {
	case "dispute":
		d, err := contract.DecodeDispute(rec)
		if err != nil {
			return classify("dispute", err)
		}
		of = d.Week(o)
	case "answer":
		a, err := contract.DecodeAnswer(rec)
		if err != nil {
			return classify("answer", err)
		}
		d := life.Dispute(a.Dispute)
		if d == nil {
			return nil
		}
		of = d.Week(o)
	default:
		return fmt.Errorf("%w: a %s is not a dispute or an answer; only those are carried after the close", ErrExtraFile, kind)
	}
	if !of.Equal(week.Start) {
		return fmt.Errorf("%w: it is about the week of %s, not %s", ErrNotTheWeek, rfc3339(of), week)
	}
	return nil
}

// addReview puts the review's members into a closed week's bundle.
func (b *bundle) addReview(r review) {
	if r.note == nil {
		return
	}
	b.review, b.consistency, b.reviewSeqs = r.note, proofBytes(r.consistency), r.seqs
	b.reviewEntries = r.entries
	for _, p := range r.proofs {
		b.reviewProofs = append(b.reviewProofs, proofBytes(p))
	}
}

// reviewFiles are the review's members, in canonical order.
func (b bundle) reviewFiles() []file {
	if b.review == nil {
		return nil
	}
	out := []file{{fileReview, b.review}, {fileConsistency, b.consistency}}
	for i, e := range b.reviewEntries {
		out = append(out, file{reviewName(b.reviewSeqs[i]), e}, file{reviewProofName(b.reviewSeqs[i]), b.reviewProofs[i]})
	}
	return out
}

// takeReview moves the review's members, if any, out of byName.
func (b *bundle) takeReview(byName map[string][]byte) error {
	note, ok := byName[fileReview]
	if !ok {
		return nil
	}
	cons, ok := byName[fileConsistency]
	if !ok {
		return fmt.Errorf("%w: %s (the proof that %s extends the close)", ErrMissingFile, fileConsistency, fileReview)
	}
	b.review, b.consistency = note, cons
	delete(byName, fileReview)
	delete(byName, fileConsistency)
	var err error
	b.reviewEntries, b.reviewSeqs, b.reviewProofs, err = takeProven(byName, reviewDir)
	return err
}

// reviewInput is the review a closed week's bundle carries, as Build
// takes it.
func (b bundle) reviewInput(in *Input) error {
	if b.review == nil {
		return nil
	}
	cons, err := proofHashes(fileConsistency, b.consistency)
	if err != nil {
		return err
	}
	in.Review, in.Consistency, in.ReviewEntries = b.review, cons, b.reviewEntries
	for i, p := range b.reviewProofs {
		h, err := proofHashes(reviewProofName(b.reviewSeqs[i]), p)
		if err != nil {
			return err
		}
		in.ReviewProofs = append(in.ReviewProofs, h)
	}
	return nil
}
