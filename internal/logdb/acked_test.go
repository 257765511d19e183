package logdb_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// Summaries gives each entry's kind and start, a voided one with its
// void, and leaves out what the log does not hold; the acked mark reads
// back as written, and a missing or damaged one as none.
func TestSummariesAndAckedMark(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	l, err := ledger.NewLog(ed25519.NewKeyFromSeed(make([]byte, 32)), [32]byte{1}, ledger.Head{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const base = 1_780_000_200 // a multiple of 600
	var log []ledger.Signed
	for _, e := range []ledger.Entry{
		{Start: base, Kind: ledger.KindAuto, Memo: "work", ApprovedAt: base + 7200, Minutes: []ledger.Minute{{Index: 0, Keys: 1}}},
		{Start: base + 600, Kind: ledger.KindManual, Memo: "call", ApprovedAt: base + 7200},
		ledger.BindRecord([]byte("a signed contract record"), base+7250),
	} {
		s, err := l.Append(e)
		if err != nil {
			t.Fatal(err)
		}
		log = append(log, s)
	}
	void, err := l.Append(ledger.Void(log[0].Summary(), "not mine", base+7300))
	if err != nil {
		t.Fatal(err)
	}
	log = append(log, void)
	if err := st.Update(func(x *store.Txn) error { return logdb.Append(x, l.ID(), log) }); err != nil {
		t.Fatal(err)
	}
	err = st.Update(func(x *store.Txn) error {
		sums, err := logdb.Summaries(x, l.ID(), 1, 9)
		if err != nil {
			return err
		}
		if len(sums) != 4 {
			t.Fatalf("%d summaries of a 4-entry log, want 4", len(sums))
		}
		for i, want := range []ledger.Summary{
			{Seq: 1, Kind: ledger.KindAuto, Start: base, VoidedBy: 4},
			{Seq: 2, Kind: ledger.KindManual, Start: base + 600},
			{Seq: 3, Kind: ledger.KindRecord, Start: base + 7200},
			{Seq: 4, Kind: ledger.KindVoid, Start: base},
		} {
			got := sums[i]
			if got.Seq != want.Seq || got.Kind != want.Kind || got.Start != want.Start || got.VoidedBy != want.VoidedBy {
				t.Errorf("summary %d: %+v, want %+v", i+1, got, want)
			}
		}
		if sums, err := logdb.Summaries(x, l.ID(), 3, 2); err != nil || len(sums) != 0 {
			t.Errorf("summaries 3..2: %v %v, want none", sums, err)
		}

		if seq, ok, err := logdb.Acked(x, l.ID()); ok || seq != 0 || err != nil {
			t.Errorf("a log never acked: mark %d %v %v, want none", seq, ok, err)
		}
		if err := logdb.SetAcked(x, l.ID(), 3); err != nil {
			return err
		}
		if seq, ok, err := logdb.Acked(x, l.ID()); !ok || seq != 3 || err != nil {
			t.Errorf("mark %d %v %v, want 3", seq, ok, err)
		}
		if err := x.Set([]byte("log/"+l.ID().String()+"/acked"), []byte{3}); err != nil {
			return err
		}
		if seq, ok, err := logdb.Acked(x, l.ID()); ok || err != nil {
			t.Errorf("a damaged mark reads %d %v %v, want none", seq, ok, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
