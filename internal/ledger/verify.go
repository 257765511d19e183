package ledger

import (
	"crypto/ed25519"
	"errors"
	"fmt"
)

// Summary is what the chain rules need to remember about an entry once it
// is in the log.
type Summary struct {
	Seq      uint64
	Hash     [32]byte
	Kind     Kind
	Start    int64
	VoidedBy uint64 // seq of the void that withdrew the entry; 0 while live
}

// Summary returns s's summary as of the moment it was appended (live).
func (s Signed) Summary() Summary {
	return Summary{Seq: s.Entry.Seq, Hash: s.Hash, Kind: s.Entry.Kind, Start: s.Entry.Start}
}

// History answers for the entries a Verifier has not seen itself: those up
// to the Head it continues from. A store implements it with two indexes, so
// that a batch verifies without loading the whole log. A *Verifier is itself
// a History of everything it knows.
type History interface {
	// Entry returns the summary of the entry at seq, if the log has one.
	Entry(seq uint64) (Summary, bool)
	// LiveAt returns the seq of the live (not voided) auto or manual entry
	// whose segment starts at start, if there is one.
	LiveAt(start int64) (seq uint64, ok bool)
}

// Verifier checks entries of one log in order: signature, contract, log,
// seq continuity, the prev-hash chain, overlapping segments and voids. Each
// call to Next either accepts an entry and advances, or changes nothing.
// A Verifier is not safe for concurrent use.
type Verifier struct {
	contractID ContractID
	logID      LogID
	pub        ed25519.PublicKey
	head       Head
	earlier    History

	seen   map[uint64]Summary // entries accepted here, by seq
	live   map[int64]uint64   // segment start → live entry accepted here
	voided map[uint64]uint64  // entries from earlier voided here → void seq
}

// NewVerifier returns a Verifier for the log contractor writes for
// contractID (the log ID follows from the two), continuing after from.
// earlier must answer for entries 1..from.Seq; it may be nil only when from
// is the zero Head, because overlap and void checks need the past.
func NewVerifier(contractID ContractID, contractor ed25519.PublicKey, from Head, earlier History) (*Verifier, error) {
	if len(contractor) != ed25519.PublicKeySize {
		return nil, fmt.Errorf("new verifier: contractor key is %d bytes, want %d", len(contractor), ed25519.PublicKeySize)
	}
	if from.Seq == 0 && from.Hash != ([32]byte{}) {
		return nil, fmt.Errorf("new verifier: head at seq 0 must have a zero hash")
	}
	if from.Seq > 0 && earlier == nil {
		return nil, fmt.Errorf("new verifier: continuing after seq %d needs the History of earlier entries", from.Seq)
	}
	return &Verifier{
		contractID: contractID, logID: LogIDOf(contractID, contractor), pub: contractor,
		head: from, earlier: earlier,
		seen: map[uint64]Summary{}, live: map[int64]uint64{}, voided: map[uint64]uint64{},
	}, nil
}

// LogID returns the ID of the log being verified.
func (v *Verifier) LogID() LogID { return v.logID }

// Head returns the last accepted entry's seq and hash.
func (v *Verifier) Head() Head { return v.head }

// Next verifies b as the entry after Head and, if it passes, advances.
func (v *Verifier) Next(b []byte) (Signed, error) {
	s, err := VerifyEntry(b, v.pub)
	return v.accept(s, err)
}

// accept is Next for an entry already opened (its signature checked) or
// refused by VerifyEntry with err.
func (v *Verifier) accept(s Signed, err error) (Signed, error) {
	if err != nil {
		return Signed{}, fmt.Errorf("entry after %s: %w", v.head, err)
	}
	if err := v.checkChain(s); err != nil {
		return Signed{}, err
	}
	if err := v.checkSegment(s.Entry); err != nil {
		return Signed{}, err
	}
	v.record(s)
	return s, nil
}

func (v *Verifier) checkChain(s Signed) error {
	e := s.Entry
	if e.ContractID != v.contractID {
		return fmt.Errorf("%w: seq %d: contract %s, want %s", ErrWrongContract, e.Seq, short(e.ContractID), short(v.contractID))
	}
	if e.LogID != v.logID {
		return fmt.Errorf("%w: seq %d: log %s, want %s", ErrWrongLog, e.Seq, short(e.LogID), short(v.logID))
	}
	want := v.head.Seq + 1
	switch {
	case e.Seq < want:
		return v.duplicate(s)
	case e.Seq > want:
		missing := fmt.Sprintf("seq %d is missing", want)
		if e.Seq-want > 1 {
			missing = fmt.Sprintf("seqs %d..%d are missing", want, e.Seq-1)
		}
		return fmt.Errorf("%w: seq %d, want %d: %s", ErrGap, e.Seq, want, missing)
	case e.Prev != v.head.Hash && v.head.Seq == 0:
		return fmt.Errorf("%w: seq 1: prev is %s, want 32 zero bytes", ErrBrokenChain, short(e.Prev))
	case e.Prev != v.head.Hash:
		return fmt.Errorf("%w: seq %d: prev is %s, want %s (the hash of seq %d)",
			ErrBrokenChain, e.Seq, short(e.Prev), short(v.head.Hash), v.head.Seq)
	}
	return nil
}

// duplicate tells a harmless replay from two different entries with one
// seq, which only a contractor who signs two versions of the past can make.
func (v *Verifier) duplicate(s Signed) error {
	have, ok := v.Entry(s.Entry.Seq)
	switch {
	case ok && have.Hash == s.Hash:
		return fmt.Errorf("%w: seq %d again (head is seq %d)", ErrDuplicate, s.Entry.Seq, v.head.Seq)
	case ok:
		return fmt.Errorf("%w: %w: seq %d again with hash %s, but the log has %s",
			ErrDuplicate, ErrFork, s.Entry.Seq, short(s.Hash), short(have.Hash))
	}
	return fmt.Errorf("%w: seq %d is not after the head, seq %d", ErrDuplicate, s.Entry.Seq, v.head.Seq)
}

func (v *Verifier) checkSegment(e Entry) error {
	if e.Kind == KindRecord {
		return nil // it takes no segment
	}
	if e.Kind != KindVoid {
		if seq, ok := v.LiveAt(e.Start); ok {
			return fmt.Errorf("%w: seq %d: the segment at %s is already recorded by seq %d; void that first",
				ErrOverlap, e.Seq, fmtTime(e.Start), seq)
		}
		return nil
	}
	ref := e.Voids
	t, ok := v.Entry(ref.Seq)
	switch {
	case !ok:
		return fmt.Errorf("%w: seq %d voids seq %d, which the log does not have", ErrBadVoid, e.Seq, ref.Seq)
	case t.Hash != ref.Hash:
		return fmt.Errorf("%w: seq %d voids seq %d with hash %s, but that entry's hash is %s",
			ErrBadVoid, e.Seq, ref.Seq, short(ref.Hash), short(t.Hash))
	case t.Kind == KindVoid:
		return fmt.Errorf("%w: seq %d voids seq %d, which is itself a void", ErrBadVoid, e.Seq, ref.Seq)
	case t.Kind == KindRecord:
		return fmt.Errorf("%w: seq %d voids seq %d, a contract record: records are never withdrawn", ErrBadVoid, e.Seq, ref.Seq)
	case t.VoidedBy != 0:
		return fmt.Errorf("%w: seq %d voids seq %d, already voided by seq %d", ErrBadVoid, e.Seq, ref.Seq, t.VoidedBy)
	case t.Start != e.Start:
		return fmt.Errorf("%w: seq %d has start %s, but the voided seq %d starts at %s",
			ErrBadVoid, e.Seq, fmtTime(e.Start), ref.Seq, fmtTime(t.Start))
	}
	return nil
}

func (v *Verifier) record(s Signed) {
	e := s.Entry
	v.seen[e.Seq] = s.Summary()
	v.head = s.Head()
	if e.Kind == KindRecord {
		return
	}
	if e.Kind != KindVoid {
		v.live[e.Start] = e.Seq
		return
	}
	target := e.Voids.Seq
	if t, ok := v.seen[target]; ok {
		t.VoidedBy = e.Seq
		v.seen[target] = t
	} else {
		v.voided[target] = e.Seq
	}
	if v.live[e.Start] == target {
		delete(v.live, e.Start)
	}
}

// Entry implements History over the entries accepted here and earlier.
func (v *Verifier) Entry(seq uint64) (Summary, bool) {
	if s, ok := v.seen[seq]; ok {
		return s, true
	}
	if v.earlier == nil || seq > v.head.Seq {
		return Summary{}, false
	}
	s, ok := v.earlier.Entry(seq)
	if by := v.voided[seq]; ok && by != 0 {
		s.VoidedBy = by
	}
	return s, ok
}

// LiveAt implements History over the entries accepted here and earlier.
func (v *Verifier) LiveAt(start int64) (uint64, bool) {
	if seq, ok := v.live[start]; ok {
		return seq, true
	}
	if v.earlier == nil {
		return 0, false
	}
	seq, ok := v.earlier.LiveAt(start)
	if !ok || v.voided[seq] != 0 {
		return 0, false
	}
	return seq, true
}

// VerifyChain verifies a batch of entries that continues the log after from
// and returns them decoded. It is all or nothing: on the first failure it
// returns the error and no entries, so the caller stores nothing partial.
func VerifyChain(contractID ContractID, contractor ed25519.PublicKey, from Head, earlier History, entries ...[]byte) ([]Signed, error) {
	v, err := NewVerifier(contractID, contractor, from, earlier)
	if err != nil {
		return nil, err
	}
	opened := openAll(entries, contractor)
	return v.acceptAll(entries, func(i int) (Signed, error) { return opened[i].s, opened[i].err })
}

// acceptAll applies the chain rules to a batch in order, entry i as
// opened(i) gives it.
func (v *Verifier) acceptAll(entries [][]byte, opened func(i int) (Signed, error)) ([]Signed, error) {
	out := make([]Signed, 0, len(entries))
	for i := range entries {
		s, err := v.accept(opened(i))
		if errors.Is(err, ErrGap) {
			err = outOfOrder(err, v.head.Seq+1, entries[i+1:])
		}
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

// outOfOrder adds to a gap error when the missing entry is later in the
// batch: the sender reordered rather than dropped entries.
func outOfOrder(err error, want uint64, rest [][]byte) error {
	for _, b := range rest {
		if s, e := OpenEntry(b); e == nil && s.Entry.Seq == want {
			return fmt.Errorf("%w (seq %d comes later in the batch: the entries are out of order)", err, want)
		}
	}
	return err
}
