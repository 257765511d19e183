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
// week of entries (P11). A log whose index is complete has log/L/days; a
// folder written before the index has none, and its first Append builds
// it (until then readers fall back to the entries).

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
	if _, err := x.Get(key(logID, "days")); errors.Is(err, store.ErrNotFound) {
		return nil, false, nil
	} else if err != nil {
		return nil, false, err
	}
	out = make([]Totals, max(last-first+1, 0))
	prefix := append(key(logID, "day"), '/')
	start := binary.BigEndian.AppendUint64(append([]byte(nil), prefix...), uint64(max(first, 0)))
	err = x.Scan(prefix, start, func(k, v []byte) (bool, error) {
		d := int64(binary.BigEndian.Uint64(k[len(k)-8:]))
		if d > last {
			return false, nil
		}
		if len(v) != 8 {
			return false, fmt.Errorf("day index of log %x: damaged record", logID[:6])
		}
		out[d-first] = Totals{Minutes: int(binary.BigEndian.Uint32(v)), Active: int(binary.BigEndian.Uint32(v[4:]))}
		return true, nil
	})
	return out, err == nil, err
}

// addDay adds t (sign 1) or takes it away (sign -1) from start's day.
func addDay(x *store.Txn, logID ledger.LogID, start int64, t Totals, sign int) error {
	k := key(logID, "day", uint64(max(Day(start), 0)))
	var have Totals
	if b, err := x.Get(k); err == nil && len(b) == 8 {
		have = Totals{Minutes: int(binary.BigEndian.Uint32(b)), Active: int(binary.BigEndian.Uint32(b[4:]))}
	} else if err != nil && !errors.Is(err, store.ErrNotFound) {
		return err
	}
	have.Minutes = max(have.Minutes+sign*t.Minutes, 0)
	have.Active = max(have.Active+sign*t.Active, 0)
	v := binary.BigEndian.AppendUint32(nil, uint32(have.Minutes))
	return x.Set(k, binary.BigEndian.AppendUint32(v, uint32(have.Active)))
}

// ensureDays builds the day index of a log written before it existed,
// from its live entries, and marks it complete; a new log is complete
// from its first entry.
func ensureDays(x *store.Txn, logID ledger.LogID, head ledger.Head) error {
	if _, err := x.Get(key(logID, "days")); err == nil {
		return nil
	} else if !errors.Is(err, store.ErrNotFound) {
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
			if err := addDay(x, logID, e.Start, TotalsOf(e), 1); err != nil {
				return err
			}
		}
	}
	return x.Set(key(logID, "days"), []byte{1})
}

// withdraw takes the entry seq (no longer live) out of its day.
func withdraw(x *store.Txn, logID ledger.LogID, seq uint64) error {
	b, err := x.Get(key(logID, "e", seq))
	if err != nil {
		return fmt.Errorf("withdraw seq %d from the day index: %w", seq, err)
	}
	e, err := ledger.ReadOwnEntry(b)
	if err != nil {
		return err
	}
	return addDay(x, logID, e.Start, TotalsOf(e), -1)
}
