package diarydb

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/store"
)

// ErrNotFound means there is no segment in that slot.
var ErrNotFound = errors.New("no such segment")

// Segments are stored as CBOR (with the JSON field names), which decodes
// several times faster than JSON: a month of diary is read in one query.
//
// Key layout:
//
//	seg/<contract>/<start, 8 bytes big-endian unix>   → segment JSON
//	segt/<start, 8 bytes>/<contract>                  → empty (time index)
//	segi/<contract>/<start, 8 bytes>                  → empty (segments with
//	                                                     an idle question open)
//
// A record written before a field existed decodes with that field empty:
// new fields only ever take new keys.
const (
	prefixSeg  = "seg/"
	prefixTime = "segt/"
	prefixIdle = "segi/"
)

// DB reads and writes segments.
type DB struct {
	st *store.Store
}

// New wraps an opened store.
func New(st *store.Store) *DB { return &DB{st: st} }

func segKey(contract string, start time.Time) []byte {
	return contractKey(prefixSeg, contract, start)
}

func idleKey(contract string, start time.Time) []byte {
	return contractKey(prefixIdle, contract, start)
}

func contractKey(prefix, contract string, start time.Time) []byte {
	k := append([]byte(prefix+contract+"/"), 0, 0, 0, 0, 0, 0, 0, 0)
	binary.BigEndian.PutUint64(k[len(k)-8:], uint64(start.Unix()))
	return k
}

func timeKey(start time.Time, contract string) []byte {
	k := []byte(prefixTime)
	k = binary.BigEndian.AppendUint64(k, uint64(start.Unix()))
	return append(append(k, '/'), contract...)
}

// Put writes a segment; the store syncs every write, so it is durable when
// Put returns.
func (db *DB) Put(s diary.Segment) error {
	return db.st.Update(func(x *store.Txn) error { return PutTxn(x, s) })
}

// PutTxn writes a segment inside the caller's transaction, so it can
// commit together with other records (approval writes log entries too).
func PutTxn(x *store.Txn, s diary.Segment) error {
	b, err := cbor.Marshal(s)
	if err != nil {
		return fmt.Errorf("encode segment %s: %w", s.ID(), err)
	}
	if err := x.Set(segKey(s.Contract, s.Start), b); err != nil {
		return err
	}
	if len(s.IdlePending) > 0 {
		err = x.Set(idleKey(s.Contract, s.Start), nil)
	} else {
		err = x.Delete(idleKey(s.Contract, s.Start))
	}
	if err != nil {
		return err
	}
	return x.Set(timeKey(s.Start, s.Contract), nil)
}

// DeleteTxn removes a segment record inside the caller's transaction.
func DeleteTxn(x *store.Txn, contract string, start time.Time) error {
	if err := x.Delete(segKey(contract, start)); err != nil {
		return err
	}
	if err := x.Delete(idleKey(contract, start)); err != nil {
		return err
	}
	return x.Delete(timeKey(start, contract))
}

// Get reads the segment of contract at start.
func (db *DB) Get(contract string, start time.Time) (diary.Segment, error) {
	var s diary.Segment
	err := db.st.View(func(x *store.Txn) error {
		var err error
		s, err = GetTxn(x, contract, start)
		return err
	})
	return s, err
}

// GetTxn is Get inside the caller's transaction, so what it read and what
// the caller writes from it commit together or not at all.
func GetTxn(x *store.Txn, contract string, start time.Time) (diary.Segment, error) {
	var s diary.Segment
	b, err := x.Get(segKey(contract, start))
	if errors.Is(err, store.ErrNotFound) {
		return s, fmt.Errorf("segment %s: %w", diary.SegmentID(contract, start), ErrNotFound)
	}
	if err != nil {
		return s, err
	}
	return s, cbor.Unmarshal(b, &s)
}

// All returns every segment of contract, in time order, inside the
// caller's transaction.
func All(x *store.Txn, contract string) ([]diary.Segment, error) {
	var out []diary.Segment
	err := scanContract(x, contract, time.Unix(0, 0), time.Unix(math.MaxInt64, 0), &out)
	return out, err
}

// Delete removes a segment record (its images are the caller's to delete).
func (db *DB) Delete(contract string, start time.Time) error {
	return db.st.Update(func(x *store.Txn) error { return DeleteTxn(x, contract, start) })
}

// Range returns the segments whose slot starts in [from, to), in time order,
// for one contract or for all when contract is "".
func (db *DB) Range(contract string, from, to time.Time) ([]diary.Segment, error) {
	if from.Unix() < 0 {
		from = time.Unix(0, 0) // keys are unsigned: nothing is stored before 1970
	}
	var out []diary.Segment
	err := db.st.View(func(x *store.Txn) error {
		if contract != "" {
			return scanContract(x, contract, from, to, &out)
		}
		return scanAll(x, from, to, &out)
	})
	return out, err
}

func scanContract(x *store.Txn, contract string, from, to time.Time, out *[]diary.Segment) error {
	prefix := []byte(prefixSeg + contract + "/")
	return x.Scan(prefix, segKey(contract, from), func(k, v []byte) (bool, error) {
		if int64(binary.BigEndian.Uint64(k[len(k)-8:])) >= to.Unix() {
			return false, nil
		}
		var s diary.Segment
		if err := cbor.Unmarshal(v, &s); err != nil {
			return false, fmt.Errorf("decode segment %q: %w", k, err)
		}
		*out = append(*out, s)
		return true, nil
	})
}

func scanAll(x *store.Txn, from, to time.Time, out *[]diary.Segment) error {
	start := binary.BigEndian.AppendUint64([]byte(prefixTime), uint64(from.Unix()))
	return x.Scan([]byte(prefixTime), start, func(k, _ []byte) (bool, error) {
		at := int64(binary.BigEndian.Uint64(k[len(prefixTime) : len(prefixTime)+8]))
		if at >= to.Unix() {
			return false, nil
		}
		contract := string(k[len(prefixTime)+9:])
		b, err := x.Get(segKey(contract, time.Unix(at, 0)))
		if err != nil {
			return false, err
		}
		var s diary.Segment
		if err := cbor.Unmarshal(b, &s); err != nil {
			return false, fmt.Errorf("decode segment %s: %w", diary.SegmentID(contract, time.Unix(at, 0)), err)
		}
		*out = append(*out, s)
		return true, nil
	})
}

// lastMemoLook bounds how many of a contract's newest segments LastMemo
// reads looking for a tracked one: manual time added after the last
// session is read past, a long history is not.
const lastMemoLook = 64

// LastMemo is the memo of the contract's newest tracked (not manual)
// segment, "" when there is none: what the person last worked on, so the
// next session can start with it after a relaunch.
func (db *DB) LastMemo(contract string) (string, error) {
	memo := ""
	err := db.st.View(func(x *store.Txn) error {
		n := 0
		return x.ScanReverse([]byte(prefixSeg+contract+"/"), func(k, v []byte) (bool, error) {
			var s diary.Segment
			if err := cbor.Unmarshal(v, &s); err != nil {
				return false, fmt.Errorf("decode segment %q: %w", k, err)
			}
			if s.Kind != diary.Manual && s.Memo != "" {
				memo = s.Memo
				return false, nil
			}
			n++
			return n < lastMemoLook, nil
		})
	})
	return memo, err
}

// Tracked sums the tracked time of a contract's segments in [from, to).
func (db *DB) Tracked(contract string, from, to time.Time) (time.Duration, error) {
	segs, err := db.Range(contract, from, to)
	if err != nil {
		return 0, err
	}
	var d time.Duration
	for i := range segs {
		d += segs[i].Tracked()
	}
	return d, nil
}

// IdlePending returns the contract's segments that have minutes waiting
// for the idle question, in time order.
func (db *DB) IdlePending(contract string) ([]diary.Segment, error) {
	var out []diary.Segment
	err := db.st.View(func(x *store.Txn) error {
		prefix := []byte(prefixIdle + contract + "/")
		return x.Scan(prefix, prefix, func(k, _ []byte) (bool, error) {
			at := time.Unix(int64(binary.BigEndian.Uint64(k[len(k)-8:])), 0).UTC()
			b, err := x.Get(segKey(contract, at))
			if errors.Is(err, store.ErrNotFound) {
				return true, nil
			}
			if err != nil {
				return false, err
			}
			var s diary.Segment
			if err := cbor.Unmarshal(b, &s); err != nil {
				return false, fmt.Errorf("decode segment %s: %w", diary.SegmentID(contract, at), err)
			}
			if len(s.IdlePending) > 0 {
				out = append(out, s)
			}
			return true, nil
		})
	})
	return out, err
}
