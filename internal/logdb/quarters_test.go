package logdb_test

import (
	"encoding/hex"
	"testing"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

func quarterTotals(t *testing.T, st *store.Store, logID ledger.LogID, first, last int64) ([]logdb.Totals, bool) {
	t.Helper()
	var got []logdb.Totals
	var ok bool
	err := st.View(func(x *store.Txn) error {
		var err error
		got, ok, err = logdb.QuarterTotals(x, logID, first, last)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got, ok
}

// The quarter index follows appends and voids like the day index; a log
// written before it is indexed only after its newest entry until
// EnsureIndexes builds it whole. The latest live entry is found from the
// end of the live index.
func TestQuarterTotals(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer func() { st.Close() }()
	l, log := dayLog(t)
	if err := st.Update(func(x *store.Txn) error { return logdb.Append(x, l.ID(), log) }); err != nil {
		t.Fatal(err)
	}
	day0 := logdb.Quarter(dayBase)
	sum := func(qs []logdb.Totals) (s logdb.Totals) {
		for _, q := range qs {
			s.Minutes, s.Active = s.Minutes+q.Minutes, s.Active+q.Active
		}
		return s
	}
	for d, want := range wantDays {
		qs, ok := quarterTotals(t, st, l.ID(), day0+int64(d)*96, day0+int64(d)*96+95)
		if !ok || sum(qs) != want {
			t.Fatalf("day %d from quarters: %v %v, want %v", d, ok, sum(qs), want)
		}
	}
	if qs, _ := quarterTotals(t, st, l.ID(), day0+36, day0+36); qs[0] != (logdb.Totals{Minutes: 10, Active: 10}) {
		t.Fatalf("the quarter of 09:00: %v, want the ten-minute segment", qs)
	}
	err = st.View(func(x *store.Txn) error {
		b, err := logdb.LatestLive(x, l.ID(), dayBase, dayBase+2*86400)
		if err != nil || b == nil {
			t.Fatalf("latest live: %v %v", b, err)
		}
		if b, _ := logdb.LatestLive(x, l.ID(), dayBase, dayBase+9*3600); b != nil {
			t.Fatal("a latest live entry before the first one")
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	// As a folder from before the quarter index: none, no mark.
	id := l.ID()
	prefix := []byte("log/" + hex.EncodeToString(id[:]) + "/q")
	deletePrefix(t, st, prefix)
	if _, ok := quarterTotals(t, st, l.ID(), day0, day0+95); ok {
		t.Fatal("a log without a quarter index reads as having one")
	}
	// An append marks it from after the newest entry, not before.
	if err := st.Update(func(x *store.Txn) error { return logdb.Append(x, l.ID(), nil) }); err != nil {
		t.Fatal(err)
	}
	if _, ok := quarterTotals(t, st, l.ID(), day0+96, day0+96+95); ok {
		t.Fatal("the quarter index reads as complete before the log's newest entry")
	}
	if _, ok := quarterTotals(t, st, l.ID(), day0+2*96, day0+2*96+95); !ok {
		t.Fatal("no quarter index after the log's newest entry")
	}
	if err := logdb.EnsureIndexes(st, l.ID()); err != nil {
		t.Fatal(err)
	}
	if qs, ok := quarterTotals(t, st, l.ID(), day0, day0+95); !ok || sum(qs) != wantDays[0] {
		t.Fatalf("after EnsureIndexes: %v %v, want %v", ok, sum(qs), wantDays[0])
	}
}
