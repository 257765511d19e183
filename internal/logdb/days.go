package logdb

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
)

// The day index keeps, per log and UTC day, the minutes of the live
// entries that start that day (log/L/day/N, N the day number since the
// Unix epoch: two big-endian uint32, minutes and active minutes), so
// that the team view reads seven small records per contract instead of a
// week of entries (P11). The quarter index (log/L/q/N, N the quarter hour
// since the epoch) keeps the same per quarter of an hour: every zone's
// day starts on a quarter hour, so today's minutes in any zone are at
// most 96 small records instead of the day's entries. A log whose index
// is complete has its mark (log/L/days, log/L/quarters); a folder written
// before an index has none, and its first Append builds it (until then
// readers fall back to the entries; EnsureIndexes builds them at once).

// tally is one of the indexes of live minutes by time.
type tally struct {
	name, mark string
	seconds    int64
}

var (
	dayTally     = tally{"day", "days", secondsPerDay}
	quarterTally = tally{"q", "quarters", 15 * 60}
	tallies      = []tally{dayTally, quarterTally}
)

const secondsPerDay = 24 * 60 * 60

// Totals are the live minutes of a log on one day.
type Totals struct {
	Minutes int // tracked minutes, a manual segment counting ten
	Active  int // minutes with input
}

// TotalsOf is what entry e adds to its day. A manual segment is ten
// minutes without input, as the diary shows it.
func TotalsOf(e ledger.Entry) Totals {
	var t Totals
	if e.Kind == ledger.KindManual {
		t.Minutes = 10
	}
	for _, m := range e.Minutes {
		t.Minutes++
		if m.Active() {
			t.Active++
		}
	}
	return t
}

// Day is the day number of a Unix time.
func Day(unix int64) int64 { return floorDiv(unix, secondsPerDay) }

func floorDiv(a, b int64) int64 {
	if a < 0 {
		return -((-a + b - 1) / b)
	}
	return a / b
}

// DayTotals returns the totals of days first..last (day numbers,
// inclusive), index i for day first+i; ok is false when the log has no
// day index yet (a folder from before it), and the caller reads the
// entries instead.
func DayTotals(x *store.Txn, logID ledger.LogID, first, last int64) (out []Totals, ok bool, err error) {
	return tallyTotals(x, logID, dayTally, first, last)
}

// Quarter is the quarter-hour number of a Unix time.
func Quarter(unix int64) int64 { return floorDiv(unix, quarterTally.seconds) }

// QuarterTotals is DayTotals of quarter hours first..last; ok is also
// false when the log's quarter index starts after quarter first.
func QuarterTotals(x *store.Txn, logID ledger.LogID, first, last int64) (out []Totals, ok bool, err error) {
	return tallyTotals(x, logID, quarterTally, first, last)
}

func tallyTotals(x *store.Txn, logID ledger.LogID, t tally, first, last int64) (out []Totals, ok bool, err error) {
	mark, err := x.Get(key(logID, t.mark))
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, false, nil
	case err != nil:
		return nil, false, err
	case len(mark) == 8 && first*t.seconds < int64(binary.BigEndian.Uint64(mark)):
		return nil, false, nil // indexed only from a later time on (ensureTallies)
	}
	out = make([]Totals, max(last-first+1, 0))
	prefix := append(key(logID, t.name), '/')
	start := binary.BigEndian.AppendUint64(append([]byte(nil), prefix...), uint64(max(first, 0)))
	err = x.Scan(prefix, start, func(k, v []byte) (bool, error) {
		d := int64(binary.BigEndian.Uint64(k[len(k)-8:]))
		if d > last {
			return false, nil
		}
		if len(v) != 8 {
			return false, fmt.Errorf("%s index of log %x: damaged record", t.name, logID[:6])
		}
		out[d-first] = Totals{Minutes: int(binary.BigEndian.Uint32(v)), Active: int(binary.BigEndian.Uint32(v[4:]))}
		return true, nil
	})
	return out, err == nil, err
}

// addTallies adds t (sign 1) or takes it away (sign -1) from start's day
// and quarter hour (of the indexes in which, all when nil).
func addTallies(x *store.Txn, logID ledger.LogID, start int64, t Totals, sign int, which []tally) error {
	if which == nil {
		which = tallies
	}
	for _, ty := range which {
		k := key(logID, ty.name, uint64(max(floorDiv(start, ty.seconds), 0)))
		var have Totals
		if b, err := x.Get(k); err == nil && len(b) == 8 {
			have = Totals{Minutes: int(binary.BigEndian.Uint32(b)), Active: int(binary.BigEndian.Uint32(b[4:]))}
		} else if err != nil && !errors.Is(err, store.ErrNotFound) {
			return err
		}
		have.Minutes = max(have.Minutes+sign*t.Minutes, 0)
		have.Active = max(have.Active+sign*t.Active, 0)
		v := binary.BigEndian.AppendUint32(nil, uint32(have.Minutes))
		if err := x.Set(k, binary.BigEndian.AppendUint32(v, uint32(have.Active))); err != nil {
			return err
		}
	}
	return nil
}

// ensureTallies prepares a log's indexes before Append adds to them. The
// day index of a log written before it is built from its live entries
// (a year is a few hundred records). The quarter index of such a log,
// up to 35,000 records a year, would not fit one transaction: it is
// marked complete only from the quarter after its newest live entry
// (the mark holds that time; 0 for a log indexed from its first entry),
// and readers of earlier quarters read the entries. EnsureIndexes builds
// it whole.
func ensureTallies(x *store.Txn, logID ledger.LogID, head ledger.Head) error {
	if err := ensureDays(x, logID, head); err != nil {
		return err
	}
	if _, err := x.Get(key(logID, quarterTally.mark)); err == nil || !errors.Is(err, store.ErrNotFound) {
		return err
	}
	var from int64
	err := x.ScanReverse(append(key(logID, "live"), '/'), func(k, _ []byte) (bool, error) {
		from = (Quarter(int64(binary.BigEndian.Uint64(k[len(k)-8:]))) + 1) * quarterTally.seconds
		return false, nil
	})
	if err != nil {
		return err
	}
	return x.Set(key(logID, quarterTally.mark), binary.BigEndian.AppendUint64(nil, uint64(max(from, 0))))
}

// ensureDays builds the day index of a log written before it existed,
// from its live entries, and marks it complete; a new log is complete
// from its first entry.
func ensureDays(x *store.Txn, logID ledger.LogID, head ledger.Head) error {
	if _, err := x.Get(key(logID, dayTally.mark)); err == nil || !errors.Is(err, store.ErrNotFound) {
		return err
	}
	if head.Seq > 0 {
		live, err := LiveEntries(x, logID, 0, 1<<62)
		if err != nil {
			return err
		}
		for _, b := range live {
			e, err := ledger.ReadOwnEntry(b)
			if err != nil {
				return fmt.Errorf("day index of log %x: %w", logID[:6], err)
			}
			if err := addTallies(x, logID, e.Start, TotalsOf(e), 1, []tally{dayTally}); err != nil {
				return err
			}
		}
	}
	return x.Set(key(logID, dayTally.mark), []byte{1})
}

// EnsureIndexes builds the whole day and quarter indexes of a log written
// before them, from its live entries, in transactions of at most
// indexBatch records: for a folder to be measured as if it had been
// written with them (P11's year, docs/targets.md). Nothing may append to
// the log meanwhile.
func EnsureIndexes(st *store.Store, logID ledger.LogID) error {
	var sums map[tally]map[int64]Totals
	err := st.View(func(x *store.Txn) error {
		if _, err := x.Get(key(logID, quarterTally.mark)); err == nil {
			if b, _ := x.Get(key(logID, quarterTally.mark)); len(b) == 8 && binary.BigEndian.Uint64(b) == 0 {
				return nil // whole already
			}
		}
		live, err := LiveEntries(x, logID, 0, 1<<62)
		if err != nil {
			return err
		}
		sums = map[tally]map[int64]Totals{}
		for _, t := range tallies {
			sums[t] = map[int64]Totals{}
		}
		for _, b := range live {
			e, err := ledger.ReadOwnEntry(b)
			if err != nil {
				return fmt.Errorf("indexes of log %x: %w", logID[:6], err)
			}
			for _, t := range tallies {
				n := floorDiv(e.Start, t.seconds)
				have, add := sums[t][n], TotalsOf(e)
				sums[t][n] = Totals{Minutes: have.Minutes + add.Minutes, Active: have.Active + add.Active}
			}
		}
		return nil
	})
	if err != nil || sums == nil {
		return err
	}
	type rec struct{ k, v []byte }
	var recs []rec
	for _, t := range tallies {
		for n, tot := range sums[t] {
			v := binary.BigEndian.AppendUint32(nil, uint32(tot.Minutes))
			recs = append(recs, rec{key(logID, t.name, uint64(max(n, 0))), binary.BigEndian.AppendUint32(v, uint32(tot.Active))})
		}
	}
	recs = append(recs, rec{key(logID, dayTally.mark), []byte{1}}, rec{key(logID, quarterTally.mark), make([]byte, 8)})
	for len(recs) > 0 {
		batch := recs[:min(indexBatch, len(recs))]
		recs = recs[len(batch):]
		err := st.Update(func(x *store.Txn) error {
			for _, r := range batch {
				if err := x.Set(r.k, r.v); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// indexBatch is how many index records EnsureIndexes writes a transaction.
const indexBatch = 2048

// withdraw takes the entry seq (no longer live) out of its day and
// quarter hour.
func withdraw(x *store.Txn, logID ledger.LogID, seq uint64) error {
	b, err := x.Get(key(logID, "e", seq))
	if err != nil {
		return fmt.Errorf("withdraw seq %d from the indexes: %w", seq, err)
	}
	e, err := ledger.ReadOwnEntry(b)
	if err != nil {
		return err
	}
	return addTallies(x, logID, e.Start, TotalsOf(e), -1, nil)
}

// LatestLive is the newest live entry starting in [from, to): its bytes,
// or nil. It reads the live index backwards from its end, so it costs a
// record or two whatever the log's length.
func LatestLive(x *store.Txn, logID ledger.LogID, from, to int64) ([]byte, error) {
	var seq uint64
	err := x.ScanReverse(append(key(logID, "live"), '/'), func(k, v []byte) (bool, error) {
		start := int64(binary.BigEndian.Uint64(k[len(k)-8:]))
		if start >= to {
			return true, nil
		}
		if start >= from && len(v) == 8 {
			seq = binary.BigEndian.Uint64(v)
		}
		return false, nil
	})
	if err != nil || seq == 0 {
		return nil, err
	}
	return x.Get(key(logID, "e", seq))
}
