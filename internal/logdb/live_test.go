package logdb_test

import (
	"crypto/ed25519"
	"testing"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// LiveEntries reads the live index: the entries starting in the range, in
// start order, without the voided ones, whatever order they were appended.
func TestLiveEntries(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	key := ed25519.NewKeyFromSeed(make([]byte, 32))
	l, err := ledger.NewLog(key, [32]byte{1}, ledger.Head{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const base = 1_780_000_200 // a multiple of 600
	var log []ledger.Signed
	for _, start := range []int64{base + 1800, base, base + 600, base + 3000, base + 1200} {
		s, err := l.Append(ledger.Entry{Start: start, Kind: ledger.KindAuto, Memo: "work", ApprovedAt: base + 7200,
			Minutes: []ledger.Minute{{Index: 0, Keys: 1}}})
		if err != nil {
			t.Fatal(err)
		}
		log = append(log, s)
	}
	void, err := l.Append(ledger.Void(log[2].Summary(), "not mine", base+7300)) // withdraws base+600
	if err != nil {
		t.Fatal(err)
	}
	log = append(log, void)
	if err := st.Update(func(x *store.Txn) error { return logdb.Append(x, l.ID(), log) }); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		from, to int64
		want     []int64
	}{
		{0, base + 6000, []int64{base, base + 1200, base + 1800, base + 3000}},
		{base + 600, base + 3000, []int64{base + 1200, base + 1800}},
		{base + 1200, base + 1201, []int64{base + 1200}},
		{base + 3001, base + 9000, nil},
	} {
		var got []int64
		err := st.View(func(x *store.Txn) error {
			entries, err := logdb.LiveEntries(x, l.ID(), tc.from, tc.to)
			for _, b := range entries {
				e, err := ledger.ReadOwnEntry(b)
				if err != nil {
					return err
				}
				got = append(got, e.Start-base)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		var want []int64
		for _, w := range tc.want {
			want = append(want, w-base)
		}
		if len(got) != len(want) {
			t.Fatalf("LiveEntries(%d, %d) = %v, want %v", tc.from-base, tc.to-base, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("LiveEntries(%d, %d) = %v, want %v", tc.from-base, tc.to-base, got, want)
			}
		}
	}
}
