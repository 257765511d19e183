package logdb

import (
	"crypto/ed25519"
	"testing"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
)

// BenchmarkAppendOne is what every append costs a log holding a year of
// ten segments a weekday: the tracker appends one entry a segment, and
// each append rewrites the log's recent record (recent.go) from its
// indexes.
func BenchmarkAppendOne(b *testing.B) {
	st, err := store.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	l, err := ledger.NewLog(ed25519.NewKeyFromSeed(make([]byte, 32)), [32]byte{3}, ledger.Head{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	const base = 1_780_012_800
	var log []ledger.Signed
	for d := int64(0); len(log) < 2600+b.N; d++ {
		if d%7 >= 5 {
			continue
		}
		for k := int64(0); k < 10; k++ {
			e := ledger.Entry{Start: base + d*86400 + 9*3600 + k*600, Kind: ledger.KindAuto, Memo: "work", ApprovedAt: base + 2000*86400}
			for m := uint8(0); m < 10; m++ {
				e.Minutes = append(e.Minutes, ledger.Minute{Index: m, Keys: 5})
			}
			s, err := l.Append(e)
			if err != nil {
				b.Fatal(err)
			}
			log = append(log, s)
		}
	}
	for i := 0; i < 2600; i += 512 {
		part := log[i:min(i+512, 2600)]
		if err := st.Update(func(x *store.Txn) error { return Append(x, l.ID(), part) }); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := range b.N {
		s := log[2600+i : 2601+i]
		if err := st.Update(func(x *store.Txn) error { return Append(x, l.ID(), s) }); err != nil {
			b.Fatal(err)
		}
	}
	b.StopTimer()
	var r Recent
	_ = st.View(func(x *store.Txn) error {
		all, err := RecentAll(x)
		r = all[l.ID()]
		return err
	})
	if r.Head != uint64(2600+b.N) {
		b.Fatalf("recent record at %d, want %d", r.Head, 2600+b.N)
	}
}
