package logdb

import (
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
)

// The recent record of a log (logrecent/L, L the hex log ID) is what a
// team view shows of it, kept by Append in the transaction of the
// entries it sums: the head's seq, the newest live segment (its start and
// memo) and the live minutes of every quarter hour from a little over
// eight days before that segment on. Every log's record sits under the
// one prefix, so a view of a thousand logs reads a thousand small
// adjacent values instead of a few records in each log's part of the
// store, which after a year are spread over as many tables (P11).
//
// A week (up to seven days and an hour, from a midnight of any zone) and
// a day (up to 25 hours) before any time at or after the newest segment
// lie inside the record's quarters, and no live segment starts after the
// newest: so the record answers the team view at any later time. A view
// at an earlier time (a segment dated ahead of the clock) reads the
// indexes instead (Recent.Covers).
const (
	recentPrefix = "logrecent/"
	// recentMark says every log's record is present (EnsureRecent).
	recentMark = "logrecent-all"
	// recentQuarters is how far back from the newest segment's quarter
	// the record keeps quarters: eight days and a few hours.
	recentQuarters = 8*96 + 32
	recentVersion  = 1
)

// Recent is a log's recent record.
type Recent struct {
	Head uint64 // the log's length
	// HasLatest says the log has a live segment: Latest is the newest
	// one's start (Unix seconds) and LatestMemo its memo.
	HasLatest  bool
	Latest     int64
	LatestMemo string
	// From is the first quarter hour (Quarter) the record holds; the live
	// minutes of every quarter from From on are in Quarters, by quarter
	// (quarters without any are left out).
	From     int64
	Quarters map[int64]Totals
}

// Covers reports whether the record answers for every quarter hour from
// the one of unix time from up to time to, exclusive: the record starts
// at or before from's quarter and no live segment starts at or after to.
func (r Recent) Covers(from, to int64) bool {
	return Quarter(from) >= r.From && (!r.HasLatest || r.Latest < to)
}

// Sum is the live minutes of the segments starting in [from, to) (Unix
// seconds, both on quarter hours or to after the newest segment), which
// Covers(from, to) must hold for.
func (r Recent) Sum(from, to int64) Totals {
	var t Totals
	first, last := Quarter(from), Quarter(to-1)
	for q, m := range r.Quarters {
		if q >= first && q <= last {
			t.Minutes += m.Minutes
			t.Active += m.Active
		}
	}
	return t
}

func recentKey(logID ledger.LogID) []byte {
	return []byte(recentPrefix + hex.EncodeToString(logID[:]))
}

// RecentAll reads every log's recent record, by log ID: one scan of
// adjacent values. A log without one (or with a damaged one) is left out,
// and its reader uses the indexes.
func RecentAll(x *store.Txn) (map[ledger.LogID]Recent, error) {
	out := map[ledger.LogID]Recent{}
	err := x.Scan([]byte(recentPrefix), nil, func(k, v []byte) (bool, error) {
		var id ledger.LogID
		if n, err := hex.Decode(id[:], k[len(recentPrefix):]); err != nil || n != len(id) {
			return true, nil
		}
		if r, err := decodeRecent(v); err == nil {
			out[id] = r
		}
		return true, nil
	})
	return out, err
}

// putRecent writes the recent record of a log whose head is seq, from
// its live index and quarter index (or, where the quarter index does not
// reach back far enough yet, from its entries), inside the transaction
// that changed them.
func putRecent(x *store.Txn, logID ledger.LogID, seq uint64) error {
	r := Recent{Head: seq, From: Quarter(0)}
	latest, err := LatestLive(x, logID, 0, 1<<62)
	if err != nil {
		return err
	}
	if latest != nil {
		e, err := ledger.ReadOwnEntry(latest)
		if err != nil {
			return fmt.Errorf("recent record of log %x: %w", logID[:6], err)
		}
		r.HasLatest, r.Latest, r.LatestMemo = true, e.Start, e.Memo
		r.From = max(Quarter(e.Start)-recentQuarters, 0)
		if r.Quarters, err = recentQuarterTotals(x, logID, r.From, Quarter(e.Start)); err != nil {
			return err
		}
	}
	return x.Set(recentKey(logID), encodeRecent(r))
}

// recentQuarterTotals are the non-empty quarters first..last of a log.
func recentQuarterTotals(x *store.Txn, logID ledger.LogID, first, last int64) (map[int64]Totals, error) {
	out := map[int64]Totals{}
	qs, ok, err := QuarterTotals(x, logID, first, last)
	if err != nil {
		return nil, err
	}
	if ok {
		for i, t := range qs {
			if t != (Totals{}) {
				out[first+int64(i)] = t
			}
		}
		return out, nil
	}
	live, err := LiveEntries(x, logID, first*quarterTally.seconds, (last+1)*quarterTally.seconds)
	if err != nil {
		return nil, err
	}
	for _, b := range live {
		e, err := ledger.ReadOwnEntry(b)
		if err != nil {
			return nil, fmt.Errorf("recent record of log %x: %w", logID[:6], err)
		}
		q, add := Quarter(e.Start), TotalsOf(e)
		have := out[q]
		out[q] = Totals{Minutes: have.Minutes + add.Minutes, Active: have.Active + add.Active}
	}
	return out, nil
}

// EnsureRecent writes the recent record of every log that has none, once
// for a folder written before the records existed (afterwards Append
// keeps them): a transaction per batch of logs, and a mark at the end, so
// an interrupted run starts again on the next opening.
func EnsureRecent(st *store.Store) error {
	done := false
	if err := st.View(func(x *store.Txn) error {
		_, err := x.Get([]byte(recentMark))
		done = err == nil
		if errors.Is(err, store.ErrNotFound) {
			return nil
		}
		return err
	}); err != nil || done {
		return err
	}
	logs, err := allLogs(st)
	if err != nil {
		return err
	}
	for first := true; first || len(logs) > 0; first = false {
		batch := logs[:min(recentBatch, len(logs))]
		logs = logs[len(batch):]
		err := st.Update(func(x *store.Txn) error {
			for _, id := range batch {
				head, err := Head(x, id)
				if err != nil {
					return err
				}
				if err := putRecent(x, id, head.Seq); err != nil {
					return err
				}
			}
			if len(logs) == 0 {
				return x.Set([]byte(recentMark), []byte{1})
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("recent records: %w", err)
		}
	}
	return nil
}

// recentBatch is how many logs' records EnsureRecent writes a transaction.
const recentBatch = 100

// allLogs lists the IDs of the logs the store holds (those with a head),
// seeking from one log's keys to the next.
func allLogs(st *store.Store) ([]ledger.LogID, error) {
	var out []ledger.LogID
	prefix := []byte("log/")
	start := prefix
	for {
		var next []byte
		err := st.View(func(x *store.Txn) error {
			return x.Scan(prefix, start, func(k, _ []byte) (bool, error) {
				var id ledger.LogID
				if len(k) < len(prefix)+2*len(id) {
					return true, nil
				}
				if _, err := hex.Decode(id[:], k[len(prefix):len(prefix)+2*len(id)]); err != nil {
					return true, nil
				}
				if _, err := x.Get(key(id, "head")); err == nil {
					out = append(out, id)
				}
				next = append(k[:len(prefix)+2*len(id):len(prefix)+2*len(id)], 0xff)
				return false, nil
			})
		})
		if err != nil || next == nil {
			return out, err
		}
		start = append([]byte(nil), next...)
	}
}

// encodeRecent lays r out as varints: version, head, latest (a flag, its
// start, its memo), From, and each non-empty quarter as its distance from
// From, minutes and active minutes.
func encodeRecent(r Recent) []byte {
	b := []byte{recentVersion}
	b = binary.AppendUvarint(b, r.Head)
	if r.HasLatest {
		b = append(b, 1)
		b = binary.AppendVarint(b, r.Latest)
		b = binary.AppendUvarint(b, uint64(len(r.LatestMemo)))
		b = append(b, r.LatestMemo...)
	} else {
		b = append(b, 0)
	}
	b = binary.AppendVarint(b, r.From)
	b = binary.AppendUvarint(b, uint64(len(r.Quarters)))
	for _, q := range slices.Sorted(maps.Keys(r.Quarters)) {
		t := r.Quarters[q]
		b = binary.AppendUvarint(b, uint64(q-r.From))
		b = binary.AppendUvarint(b, uint64(t.Minutes))
		b = binary.AppendUvarint(b, uint64(t.Active))
	}
	return b
}

var errRecentDamaged = errors.New("damaged recent record")

func decodeRecent(b []byte) (Recent, error) {
	d := recentReader{b: b}
	var r Recent
	if v := d.byte(); v != recentVersion {
		return r, fmt.Errorf("%w: version %d", errRecentDamaged, v)
	}
	r.Head = d.uvarint()
	if r.HasLatest = d.byte() == 1; r.HasLatest {
		r.Latest = d.varint()
		n := d.uvarint()
		if n > uint64(len(d.b)) {
			return r, errRecentDamaged
		}
		r.LatestMemo, d.b = string(d.b[:n]), d.b[n:]
	}
	r.From = d.varint()
	n := d.uvarint()
	if n > uint64(len(d.b)) {
		return r, errRecentDamaged
	}
	r.Quarters = make(map[int64]Totals, n)
	for range n {
		q, m, a := d.uvarint(), d.uvarint(), d.uvarint()
		if q > recentQuarters || m > 1<<31 || a > 1<<31 {
			return r, errRecentDamaged
		}
		r.Quarters[r.From+int64(q)] = Totals{Minutes: int(m), Active: int(a)}
	}
	if d.bad || len(d.b) != 0 {
		return r, errRecentDamaged
	}
	return r, nil
}

// recentReader reads varints, remembering a short read.
type recentReader struct {
	b   []byte
	bad bool
}

func (d *recentReader) byte() byte {
	if len(d.b) == 0 {
		d.bad = true
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *recentReader) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *recentReader) varint() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.bad = true
		return 0
	}
	d.b = d.b[n:]
	return v
}
