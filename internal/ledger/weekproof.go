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
	leaves := make([][32]byte, size)
	for i := range leaves {
		leaves[i] = LeafHash(log[i].Bytes)
	}
	t := treeOf(leaves)
	out := make([][][32]byte, len(entries))
	for i, s := range entries {
		if s.Entry.Seq == 0 || s.Entry.Seq > size {
			return nil, fmt.Errorf("week proofs: seq %d is not in the first %d entries", s.Entry.Seq, size)
		}
		p, err := proveRecord(t, size, s.Entry.Seq-1)
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
		s, err := VerifyEntry(b, contractor)
		if err != nil {
			return nil, err
		}
		e := s.Entry
		switch {
		case e.ContractID != contractID || e.LogID != v.logID:
			return nil, fmt.Errorf("%w: seq %d is of another contract or log", ErrWrongLog, e.Seq)
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
