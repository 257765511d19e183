package ledger

import (
	"crypto/sha256"
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// StoredLog is a log kept in one's own store, read for its week closes:
// its entries' bytes, seq 1 on, and of each only what OfWeek asks (kind
// and start). The store kept only entries it had verified or signed, so
// decoding each whole again (a cost that grows with the log, paid by both
// parties at every close) would check nothing; the closes it gives are
// NewWeekClose's, byte for byte.
type StoredLog struct {
	logID  LogID
	raw    [][]byte
	fields []kindStart
}

// ReadStoredLog reads the entries of log logID as its store keeps them.
func ReadStoredLog(logID LogID, raw [][]byte) (StoredLog, error) {
	fields := make([]kindStart, len(raw))
	for i, b := range raw {
		f, err := readKindStart(b)
		if err != nil {
			return StoredLog{}, fmt.Errorf("stored entry %d: %w", i+1, err)
		}
		fields[i] = f
	}
	return StoredLog{logID: logID, raw: raw, fields: fields}, nil
}

// Size is how many entries the log has.
func (l StoredLog) Size() int { return len(l.raw) }

// Upto is the log's first size entries (size at most Size).
func (l StoredLog) Upto(size int) StoredLog {
	return StoredLog{logID: l.logID, raw: l.raw[:size], fields: l.fields[:size]}
}

// Checkpoint is the log's checkpoint.
func (l StoredLog) Checkpoint() Checkpoint { return CheckpointFor(l.logID, l.raw) }

// WeekCloseAt is the close of [from, to) given the log's checkpoint cp
// (Checkpoint, computed once for the closes of several weeks).
func (l StoredLog) WeekCloseAt(cp Checkpoint, from, to int64, acceptance []byte) WeekClose {
	var week [][]byte
	for i, f := range l.fields {
		if ofWeek(f.Kind, f.Start, from, to) {
			week = append(week, l.raw[i])
		}
	}
	return WeekClose{Checkpoint: cp, Week: from, Count: uint64(len(week)),
		Digest: WeekDigest(week), Acceptance: sha256.Sum256(acceptance)}
}

// WeekOf is what a closed week's bundle carries of the log: the entries a
// close of [from, to) counts (OfWeek), in seq order, each with its
// inclusion proof in the tree of the whole log (WeekProofs).
func (l StoredLog) WeekOf(from, to int64) ([][]byte, [][][32]byte, error) {
	var week [][]byte
	var at []uint64
	for i, f := range l.fields {
		if ofWeek(f.Kind, f.Start, from, to) {
			week, at = append(week, l.raw[i]), append(at, uint64(i))
		}
	}
	proofs, err := proofsAt(leafHashes(l.raw), at)
	if err != nil {
		return nil, nil, err
	}
	return week, proofs, nil
}

// kindStart is the part of an entry's payload a week close reads; the
// library skips the rest of the map without decoding it.
type kindStart struct {
	Start int64 `cbor:"6,keyasint"`
	Kind  Kind  `cbor:"7,keyasint"`
}

// readKindStart reads an entry's kind and start from an envelope a store
// kept, so one cose.Open accepted once: its payload follows the fixed
// prefix and the empty unprotected header (envelopePrefix).
func readKindStart(b []byte) (kindStart, error) {
	var f kindStart
	if len(b) <= unprotectedAt+1 || string(b[:len(envelopePrefix)]) != string(envelopePrefix) {
		return f, fmt.Errorf("%w: not an entry envelope", ErrMalformed)
	}
	var payload []byte
	if _, err := cbor.UnmarshalFirst(b[unprotectedAt+1:], &payload); err != nil {
		return f, fmt.Errorf("%w: entry payload: %v", ErrMalformed, err)
	}
	if err := cbor.Unmarshal(payload, &f); err != nil {
		return f, fmt.Errorf("%w: entry payload: %v", ErrMalformed, err)
	}
	return f, nil
}
