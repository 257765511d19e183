package logdb

import (
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
)

// Key layout, per log (L = hex log ID, N = 8-byte big-endian number):
//
//	log/L/e/N     entry N's signed bytes, exactly as signed
//	log/L/s/N     entry N's summary (kind, start, voided-by) as JSON
//	log/L/live/N  seq of the live entry whose segment starts at unix time N
//	log/L/img/H   seq of the entry that commits to image H (hex SHA-256)
//	log/L/head    the head: seq and hash
//	log/L/cp      the latest checkpoint note (contractor-signed)
//	log/L/cosig   the newest cosigned checkpoint note (the receipt)
//	log/L/rcpt/N  the receipt (cosigned checkpoint note) of size N
//	log/L/refused/N  why the employer refused entry N (refused.go)
//	log/L/close/N the cosigned close of the week starting at unix time N (weekclose.go)
//	log/L/day/N   the live minutes of day N; log/L/days: that index is complete (days.go)
//	log/L/q/N     the live minutes of quarter hour N; log/L/quarters: from when that index is complete (days.go)
//	log/L/acked   the contractor's own log: its segments are marked synced up to this seq (acked.go)
//	logrecent/L   the log's recent figures, every log's side by side (recent.go)
func key(logID ledger.LogID, parts ...any) []byte {
	k := []byte("log/" + hex.EncodeToString(logID[:]))
	for _, p := range parts {
		k = append(k, '/')
		switch v := p.(type) {
		case string:
			k = append(k, v...)
		case uint64:
			k = binary.BigEndian.AppendUint64(k, v)
		case int64:
			k = binary.BigEndian.AppendUint64(k, uint64(v))
		}
	}
	return k
}

type headRecord struct {
	Seq  uint64 `json:"seq"`
	Hash string `json:"hash"`
}

// Head reads a log's head; an unknown log has the zero Head.
func Head(x *store.Txn, logID ledger.LogID) (ledger.Head, error) {
	b, err := x.Get(key(logID, "head"))
	if errors.Is(err, store.ErrNotFound) {
		return ledger.Head{}, nil
	}
	if err != nil {
		return ledger.Head{}, err
	}
	var r headRecord
	if err := json.Unmarshal(b, &r); err != nil {
		return ledger.Head{}, fmt.Errorf("log head: %w", err)
	}
	h := ledger.Head{Seq: r.Seq}
	if _, err := hex.Decode(h.Hash[:], []byte(r.Hash)); err != nil {
		return ledger.Head{}, fmt.Errorf("log head: %w", err)
	}
	return h, nil
}

// Append stores entries that a ledger.Verifier (or Log) has accepted, in
// order, continuing the stored head, inside the caller's transaction so
// that it commits together with whatever else the batch changes.
func Append(x *store.Txn, logID ledger.LogID, entries []ledger.Signed) error {
	head, err := Head(x, logID)
	if err != nil {
		return err
	}
	if err := ensureTallies(x, logID, head); err != nil {
		return err
	}
	for _, s := range entries {
		e := s.Entry
		if e.Seq != head.Seq+1 || e.Prev != head.Hash {
			return fmt.Errorf("append seq %d to log at %s: %w", e.Seq, head, ledger.ErrBrokenChain)
		}
		if err := x.Set(key(logID, "e", e.Seq), s.Bytes); err != nil {
			return err
		}
		if err := putSummary(x, logID, s.Summary()); err != nil {
			return err
		}
		if err := index(x, logID, s); err != nil {
			return err
		}
		for _, img := range e.Images {
			if err := x.Set(key(logID, "img", hex.EncodeToString(img.SHA256[:])), binary.BigEndian.AppendUint64(nil, e.Seq)); err != nil {
				return err
			}
		}
		head = s.Head()
	}
	b, _ := json.Marshal(headRecord{Seq: head.Seq, Hash: hex.EncodeToString(head.Hash[:])})
	if err := x.Set(key(logID, "head"), b); err != nil {
		return err
	}
	return putRecent(x, logID, head.Seq)
}

// index keeps the live-entry index and the day and quarter indexes: an auto or manual
// entry becomes the live one at its start; a void withdraws its target.
func index(x *store.Txn, logID ledger.LogID, s ledger.Signed) error {
	e := s.Entry
	if e.Kind == ledger.KindRecord {
		return nil // a record takes no segment and adds no time
	}
	if e.Kind != ledger.KindVoid {
		if err := withdrawLive(x, logID, e.Start); err != nil {
			return err
		}
		if err := addTallies(x, logID, e.Start, TotalsOf(e), 1, nil); err != nil {
			return err
		}
		return x.Set(key(logID, "live", e.Start), binary.BigEndian.AppendUint64(nil, e.Seq))
	}
	t, ok, err := summary(x, logID, e.Voids.Seq)
	if err != nil || !ok {
		return fmt.Errorf("void of seq %d: target missing (%v)", e.Voids.Seq, err)
	}
	t.VoidedBy = e.Seq
	if err := putSummary(x, logID, t); err != nil {
		return err
	}
	if seq, live := (History{x, logID}).LiveAt(t.Start); live && seq == t.Seq {
		return withdrawLive(x, logID, t.Start)
	}
	return nil
}

// withdrawLive removes the live entry at start, if any, from the live
// index and its day and quarter hour.
func withdrawLive(x *store.Txn, logID ledger.LogID, start int64) error {
	seq, live := (History{x, logID}).LiveAt(start)
	if !live {
		return nil
	}
	if err := withdraw(x, logID, seq); err != nil {
		return err
	}
	return x.Delete(key(logID, "live", start))
}

func putSummary(x *store.Txn, logID ledger.LogID, s ledger.Summary) error {
	b, err := json.Marshal(s)
	if err != nil {
		return err
	}
	return x.Set(key(logID, "s", s.Seq), b)
}

func summary(x *store.Txn, logID ledger.LogID, seq uint64) (ledger.Summary, bool, error) {
	b, err := x.Get(key(logID, "s", seq))
	if errors.Is(err, store.ErrNotFound) {
		return ledger.Summary{}, false, nil
	}
	if err != nil {
		return ledger.Summary{}, false, err
	}
	var s ledger.Summary
	return s, true, json.Unmarshal(b, &s)
}

// Entries returns the signed bytes of seq from..to (inclusive) in order.
func Entries(x *store.Txn, logID ledger.LogID, from, to uint64) ([][]byte, error) {
	var out [][]byte
	prefix := key(logID, "e")
	prefix = append(prefix, '/')
	start := binary.BigEndian.AppendUint64(append([]byte(nil), prefix...), from)
	err := x.Scan(prefix, start, func(k, v []byte) (bool, error) {
		if binary.BigEndian.Uint64(k[len(k)-8:]) > to {
			return false, nil
		}
		out = append(out, append([]byte(nil), v...))
		return true, nil
	})
	return out, err
}

// LiveEntries returns the signed bytes of the live entries whose segments
// start in [from, to) (Unix seconds), in start order. It reads the live
// index, so its cost follows the entries in the range, not the log's
// length (a year's log holds thousands).
func LiveEntries(x *store.Txn, logID ledger.LogID, from, to int64) ([][]byte, error) {
	var out [][]byte
	prefix := append(key(logID, "live"), '/')
	start := binary.BigEndian.AppendUint64(append([]byte(nil), prefix...), uint64(max(from, 0)))
	err := x.Scan(prefix, start, func(k, v []byte) (bool, error) {
		if int64(binary.BigEndian.Uint64(k[len(k)-8:])) >= to {
			return false, nil
		}
		if len(v) != 8 {
			return false, fmt.Errorf("live index of log %x: damaged record", logID[:6])
		}
		e, err := x.Get(key(logID, "e", binary.BigEndian.Uint64(v)))
		if err != nil {
			return false, fmt.Errorf("live entry %d of log %x: %w", binary.BigEndian.Uint64(v), logID[:6], err)
		}
		out = append(out, e)
		return true, nil
	})
	return out, err
}

// History answers the chain rules' questions from the store, so a batch
// verifies without loading the whole log.
type History struct {
	x     *store.Txn
	logID ledger.LogID
}

// NewHistory reads log logID inside transaction x.
func NewHistory(x *store.Txn, logID ledger.LogID) History { return History{x: x, logID: logID} }

// Entry implements ledger.History.
func (h History) Entry(seq uint64) (ledger.Summary, bool) {
	s, ok, err := summary(h.x, h.logID, seq)
	return s, ok && err == nil
}

// LiveAt implements ledger.History.
func (h History) LiveAt(start int64) (uint64, bool) {
	b, err := h.x.Get(key(h.logID, "live", start))
	if err != nil || len(b) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(b), true
}

// ImageEntry returns the signed bytes of the entry that commits to the
// image (the latest, when several hold the same bytes), if any does: only
// such images may be sent to the other party.
func ImageEntry(x *store.Txn, logID ledger.LogID, hash ledger.ImageHash) ([]byte, bool) {
	b, err := x.Get(key(logID, "img", hex.EncodeToString(hash[:])))
	if err != nil || len(b) != 8 {
		return nil, false
	}
	e, err := x.Get(key(logID, "e", binary.BigEndian.Uint64(b)))
	return e, err == nil
}
