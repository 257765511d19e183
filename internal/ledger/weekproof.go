package ledger

import (
	"crypto/ed25519"
	"errors"
	"fmt"
)

// ErrNotTheWeek: a week's entries are not the ones its close names (one
// dropped, one added, one of another week or after the close).
var ErrNotTheWeek = errors.New("entries are not the closed week's")

// WeekProofs are the inclusion proofs (RFC 6962 PATH) of entries, each at
// index seq-1, in the tree of the first size entries of log.
func WeekProofs(log []Signed, size uint64, entries []Signed) ([][][32]byte, error) {
	if size > uint64(len(log)) {
		return nil, fmt.Errorf("week proofs: size %d of a log of %d", size, len(log))
	}
	at := make([]uint64, len(entries))
	for i, s := range entries {
		if s.Entry.Seq == 0 || s.Entry.Seq > size {
			return nil, fmt.Errorf("week proofs: seq %d is not in the first %d entries", s.Entry.Seq, size)
		}
		at[i] = s.Entry.Seq - 1
	}
	leaves := make([][32]byte, size)
	for i := range leaves {
		leaves[i] = LeafHash(log[i].Bytes)
	}
	return proofsAt(leaves, at)
}

// proofsAt are the inclusion proofs of the entries at indexes at (each
// below len(leaves)) in the tree of a log's entries whose leaf hashes
// are leaves.
func proofsAt(leaves [][32]byte, at []uint64) ([][][32]byte, error) {
	size := uint64(len(leaves))
	t := treeOf(leaves)
	out := make([][][32]byte, len(at))
	for i, idx := range at {
		p, err := proveRecord(t, size, idx)
		if err != nil {
			return nil, err
		}
		out[i] = p
	}
	return out, nil
}

// VerifyWeek checks the entries a bundle carries for one closed week
// without the rest of the log: each is the contractor's, of this contract's
// log, in the week, at its seq in the closed tree (its inclusion proof
// leads to the close's root), in increasing seq; together they are exactly
// the entries the close counts (number and digest, which both parties
// signed), so none was dropped or added; and among them the segment rules
// hold (no two live entries at one start, every void withdraws one of
// them). All the entries at a segment start lie in the same week, so those
// are the rules the whole log obeys for them.
func VerifyWeek(contractID ContractID, contractor ed25519.PublicKey, w WeekClose, weekEnd int64, entries [][]byte, proofs [][][32]byte) ([]Signed, error) {
	v, err := NewVerifier(contractID, contractor, Head{}, nil)
	if err != nil {
		return nil, err
	}
	if w.LogID != v.logID {
		return nil, fmt.Errorf("%w: the close is of log %s, this contract's is %s", ErrNotTheWeek, short(w.LogID), short(v.logID))
	}
	if len(proofs) != len(entries) {
		return nil, fmt.Errorf("%w: %d entries and %d proofs", ErrNotTheWeek, len(entries), len(proofs))
	}
	out := make([]Signed, 0, len(entries))
	var last uint64
	for i, b := range entries {
		s, err := entryOfLog(b, contractor, contractID, v.logID)
		if err != nil {
			return nil, err
		}
		e := s.Entry
		switch {
		case e.Seq <= last:
			return nil, fmt.Errorf("%w: seq %d after seq %d", ErrNotTheWeek, e.Seq, last)
		case e.Seq > w.Size:
			return nil, fmt.Errorf("%w: seq %d is after the close at size %d", ErrNotTheWeek, e.Seq, w.Size)
		case !OfWeek(e, w.Week, weekEnd):
			return nil, fmt.Errorf("%w: seq %d at %s is not in the week of %s", ErrNotTheWeek, e.Seq, fmtTime(e.Start), fmtTime(w.Week))
		}
		if err := VerifyInclusion(LeafHash(b), e.Seq-1, w.Size, w.Root, proofs[i]); err != nil {
			return nil, fmt.Errorf("seq %d: %w", e.Seq, err)
		}
		if err := v.checkSegment(e); err != nil {
			return nil, err
		}
		v.record(s)
		last = e.Seq
		out = append(out, s)
	}
	if uint64(len(entries)) != w.Count || WeekDigest(entries) != w.Digest {
		return nil, fmt.Errorf("%w: the close counts %d entries of the week, %d are here or they differ", ErrNotTheWeek, w.Count, len(entries))
	}
	return out, nil
}

// ErrNotReviewed: a record offered as bound after a week's close is not
// proven in the later checkpoint, or that checkpoint does not extend the
// close.
var ErrNotReviewed = errors.New("records after the close are not proven")

// VerifyAfterClose checks records bound after a week's close, as a closed
// week's bundle carries them for its review window: later is a checkpoint
// of the same log that extends the close (consistency proves the closed
// tree is its prefix), and each entry is a contractor-signed contract
// record of this contract's log, after the close and within later, in
// increasing seq, whose inclusion proof leads to later's root. Which
// records they are, and whether they bind, is for the caller.
func VerifyAfterClose(contractID ContractID, contractor ed25519.PublicKey, w WeekClose, later Checkpoint, consistency [][32]byte, entries [][]byte, proofs [][][32]byte) ([]Signed, error) {
	logID := LogIDOf(contractID, contractor)
	if later.LogID != logID {
		return nil, fmt.Errorf("%w: the later checkpoint is of log %s, this contract's is %s", ErrNotReviewed, short(later.LogID), short(logID))
	}
	if later.Size <= w.Size {
		return nil, fmt.Errorf("%w: the later checkpoint, at size %d, is not after the close at size %d", ErrNotReviewed, later.Size, w.Size)
	}
	if err := VerifyConsistency(w.Checkpoint, later, consistency); err != nil {
		return nil, fmt.Errorf("%w: the later checkpoint does not extend the close: %w", ErrNotReviewed, err)
	}
	if len(proofs) != len(entries) {
		return nil, fmt.Errorf("%w: %d records and %d proofs", ErrNotReviewed, len(entries), len(proofs))
	}
	out := make([]Signed, 0, len(entries))
	last := w.Size
	for i, b := range entries {
		s, err := entryOfLog(b, contractor, contractID, logID)
		if err != nil {
			return nil, err
		}
		e := s.Entry
		switch {
		case e.Kind != KindRecord:
			return nil, fmt.Errorf("%w: seq %d is not a contract record", ErrNotReviewed, e.Seq)
		case e.Seq <= last:
			return nil, fmt.Errorf("%w: seq %d is not after seq %d (the close is at size %d)", ErrNotReviewed, e.Seq, last, w.Size)
		case e.Seq > later.Size:
			return nil, fmt.Errorf("%w: seq %d is after the later checkpoint at size %d", ErrNotReviewed, e.Seq, later.Size)
		}
		if err := VerifyInclusion(LeafHash(b), e.Seq-1, later.Size, later.Root, proofs[i]); err != nil {
			return nil, fmt.Errorf("%w: seq %d: %w", ErrNotReviewed, e.Seq, err)
		}
		last = e.Seq
		out = append(out, s)
	}
	return out, nil
}

// entryOfLog verifies b is the contractor's entry of this contract's log.
func entryOfLog(b []byte, contractor ed25519.PublicKey, contractID ContractID, logID LogID) (Signed, error) {
	s, err := VerifyEntry(b, contractor)
	if err != nil {
		return Signed{}, err
	}
	if s.Entry.ContractID != contractID || s.Entry.LogID != logID {
		return Signed{}, fmt.Errorf("%w: seq %d is of another contract or log", ErrWrongLog, s.Entry.Seq)
	}
	return s, nil
}
