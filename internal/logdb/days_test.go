package logdb_test

import (
	"crypto/ed25519"
	"encoding/hex"
	"testing"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// dayBase is a UTC midnight: day dayNo.
const (
	dayBase = 1_780_012_800
	dayNo   = dayBase / 86400
)

// dayLog is a log over two days: day 0 has an auto segment of ten active
// minutes, one of four minutes (two active) and a manual segment; day 1
// one auto segment, later voided, and one of three minutes.
func dayLog(t *testing.T) (*ledger.Log, []ledger.Signed) {
	t.Helper()
	l, err := ledger.NewLog(ed25519.NewKeyFromSeed(make([]byte, 32)), [32]byte{2}, ledger.Head{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	minutes := func(n, active int) []ledger.Minute {
		var out []ledger.Minute
		for i := 0; i < n; i++ {
			m := ledger.Minute{Index: uint8(i)}
			if i < active {
				m.Keys = 5
			}
			out = append(out, m)
		}
		return out
	}
	var log []ledger.Signed
	add := func(e ledger.Entry) ledger.Signed {
		e.ApprovedAt, e.Memo = dayBase+3*86400, "work"
		s, err := l.Append(e)
		if err != nil {
			t.Fatal(err)
		}
		log = append(log, s)
		return s
	}
	add(ledger.Entry{Start: dayBase + 9*3600, Kind: ledger.KindAuto, Minutes: minutes(10, 10)})
	add(ledger.Entry{Start: dayBase + 10*3600, Kind: ledger.KindAuto, Minutes: minutes(4, 2)})
	add(ledger.Entry{Start: dayBase + 11*3600, Kind: ledger.KindManual})
	v := add(ledger.Entry{Start: dayBase + 86400 + 9*3600, Kind: ledger.KindAuto, Minutes: minutes(10, 1)})
	add(ledger.Entry{Start: dayBase + 86400 + 10*3600, Kind: ledger.KindAuto, Minutes: minutes(3, 3)})
	add(ledger.Void(v.Summary(), "not mine", dayBase+3*86400))
	return l, log
}

var wantDays = []logdb.Totals{{Minutes: 24, Active: 12}, {Minutes: 3, Active: 3}, {}}

func dayTotals(t *testing.T, st *store.Store, logID ledger.LogID) ([]logdb.Totals, bool) {
	t.Helper()
	var got []logdb.Totals
	var ok bool
	err := st.View(func(x *store.Txn) error {
		var err error
		got, ok, err = logdb.DayTotals(x, logID, dayNo, dayNo+2)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, ok
}

func checkDays(t *testing.T, got []logdb.Totals, want []logdb.Totals) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("day totals %v, want %v", got, want)
	}
	for i := range want {
		if got[i] != want[i] {
			t.Fatalf("day totals %v, want %v", got, want)
		}
	}
}

// The day index follows appends and voids, in one batch or several.
func TestDayTotals(t *testing.T) {
	for _, batch := range []int{1, 2, 6} {
		st, err := store.Open(t.TempDir())
		if err != nil {
			t.Fatal(err)
		}
		l, log := dayLog(t)
		for i := 0; i < len(log); i += batch {
			part := log[i:min(i+batch, len(log))]
			if err := st.Update(func(x *store.Txn) error { return logdb.Append(x, l.ID(), part) }); err != nil {
				t.Fatal(err)
			}
		}
		got, ok := dayTotals(t, st, l.ID())
		if !ok {
			t.Fatalf("batches of %d: no day index after appending", batch)
		}
		checkDays(t, got, wantDays)
		st.Close()
	}
}

// A log written before the day index existed reads as having none (its
// readers count the entries), and its next append builds the index from
// the whole log.
func TestDayIndexBuiltForOlderFolder(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	l, log := dayLog(t)
	if err := st.Update(func(x *store.Txn) error { return logdb.Append(x, l.ID(), log[:5]) }); err != nil {
		t.Fatal(err)
	}
	// What a folder from before the index holds: no log/L/day/…, no log/L/days.
	prefix := []byte("log/" + hex.EncodeToString(func() []byte { id := l.ID(); return id[:] }()) + "/day")
	if n := deletePrefix(t, st, prefix); n < 3 {
		t.Fatalf("found %d day-index keys to remove, want the marker and two days", n)
	}
	st.Close()
	if st, err = store.Open(dir); err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	if _, ok := dayTotals(t, st, l.ID()); ok {
		t.Fatal("a log without a day index reads as having one")
	}
	if err := st.Update(func(x *store.Txn) error { return logdb.Append(x, l.ID(), log[5:]) }); err != nil {
		t.Fatal(err)
	}
	got, ok := dayTotals(t, st, l.ID())
	if !ok {
		t.Fatal("no day index after the first append to an older log")
	}
	checkDays(t, got, wantDays)
}

// deletePrefix deletes every key under prefix, as a folder written before
// an index lacks it, and says how many there were.
func deletePrefix(t *testing.T, st *store.Store, prefix []byte) int {
	t.Helper()
	var keys [][]byte
	err := st.Update(func(x *store.Txn) error {
		if err := x.Scan(prefix, nil, func(k, _ []byte) (bool, error) {
			keys = append(keys, append([]byte(nil), k...))
			return true, nil
		}); err != nil {
			return err
		}
		for _, k := range keys {
			if err := x.Delete(k); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return len(keys)
}
