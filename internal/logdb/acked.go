package logdb

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
)

// The contractor's own log keeps how far the employer has acknowledged it
// (key log/L/acked, the seq as 8 bytes big-endian): the diary marks the
// segments of entries up to there as synced in the transaction that
// writes the mark, so the next acknowledgement reads only the entries
// after it, not the whole diary.

// Acked is the seq up to which the diary's segments of the log are marked
// synced; ok is false when no mark was written (a folder of a release
// that kept none, or a log never acknowledged).
func Acked(x *store.Txn, logID ledger.LogID) (seq uint64, ok bool, err error) {
	b, err := x.Get(key(logID, "acked"))
	if errors.Is(err, store.ErrNotFound) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, err
	}
	if len(b) != 8 {
		return 0, false, nil // damaged: read as missing, so the caller reads everything again
	}
	return binary.BigEndian.Uint64(b), true, nil
}

// SetAcked writes the mark; the caller writes it with the segments it
// marked, in one transaction.
func SetAcked(x *store.Txn, logID ledger.LogID, seq uint64) error {
	return x.Set(key(logID, "acked"), binary.BigEndian.AppendUint64(nil, seq))
}

// EntryStart is what the summary of an entry says of its segment.
type EntryStart struct {
	Seq   uint64
	Kind  ledger.Kind
	Start int64 // the segment's start, Unix seconds
}

// Starts returns the kind and segment start of entries from..to
// (inclusive) in seq order, read from their summaries (log/L/s/N), whose
// other fields it skips: not the signed entries. An entry with no summary
// is left out, so fewer than to-from+1 means the log is not all there.
func Starts(x *store.Txn, logID ledger.LogID, from, to uint64) ([]EntryStart, error) {
	if from > to {
		return nil, nil
	}
	var out []EntryStart
	prefix := append(key(logID, "s"), '/')
	start := binary.BigEndian.AppendUint64(append([]byte(nil), prefix...), from)
	err := x.Scan(prefix, start, func(k, v []byte) (bool, error) {
		seq := binary.BigEndian.Uint64(k[len(k)-8:])
		if seq > to {
			return false, nil
		}
		var f struct { // ledger.Summary's fields, as putSummary writes them
			Kind  ledger.Kind
			Start int64
		}
		if err := json.Unmarshal(v, &f); err != nil {
			return false, fmt.Errorf("summary %d of log %x: %w", seq, logID[:6], err)
		}
		out = append(out, EntryStart{Seq: seq, Kind: f.Kind, Start: f.Start})
		return true, nil
	})
	return out, err
}
