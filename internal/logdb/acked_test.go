package logdb_test

import (
	"crypto/ed25519"
	"slices"
	"testing"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// Starts gives each entry's kind and segment start from its summary, and
// leaves out what the log does not hold; the acked mark reads
// back as written, and a missing or damaged one as none.
func TestStartsAndAckedMark(t *testing.T) {
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
		starts, err := logdb.Starts(x, l.ID(), 1, 9)
		if err != nil {
			return err
		}
		want := []logdb.EntryStart{
			{Seq: 1, Kind: ledger.KindAuto, Start: base},
			{Seq: 2, Kind: ledger.KindManual, Start: base + 600},
			{Seq: 3, Kind: ledger.KindRecord, Start: base + 7200},
			{Seq: 4, Kind: ledger.KindVoid, Start: base},
		}
		if !slices.Equal(starts, want) {
			t.Errorf("starts 1..9 of a 4-entry log: %+v, want %+v", starts, want)
		}
		if starts, err := logdb.Starts(x, l.ID(), 2, 3); err != nil || !slices.Equal(starts, want[1:3]) {
			t.Errorf("starts 2..3: %+v %v, want %+v", starts, err, want[1:3])
		}
		if starts, err := logdb.Starts(x, l.ID(), 3, 2); err != nil || len(starts) != 0 {
			t.Errorf("starts 3..2: %v %v, want none", starts, err)
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
