package ledger

import (
	"crypto/ed25519"
	"testing"

	"github.com/workdiary/workdiary/internal/cose"
)

// benchLog returns n realistic entries (ten minutes, three apps, three
// images, a memo), as the employer receives a week and more of work.
func benchLog(b *testing.B, n int) [][]byte {
	l, err := NewLog(contractorKey, testContract, Head{}, nil)
	if err != nil {
		b.Fatal(err)
	}
	out := make([][]byte, n)
	for i := range out {
		s, err := l.Append(autoEntry(day0900 + int64(i)*SegmentSeconds))
		if err != nil {
			b.Fatal(err)
		}
		out[i] = s.Bytes
	}
	return out
}

// BenchmarkVerifyChain measures P6 (docs/targets.md): entries verified per
// second on one core, chain and signature, target ≥ 10,000/s. Run it with
// -cpu 1 to hold it to one core; verification is sequential anyway.
func BenchmarkVerifyChain(b *testing.B) {
	entries := benchLog(b, 1000)
	b.SetBytes(int64(len(entries[0])) * int64(len(entries)))
	b.ReportAllocs()
	runs := 0
	for b.Loop() {
		if _, err := VerifyChain(testContract, pub(contractorKey), Head{}, nil, entries...); err != nil {
			b.Fatal(err)
		}
		runs++
	}
	b.ReportMetric(float64(runs*len(entries))/b.Elapsed().Seconds(), "entries/s")
}

// BenchmarkOpenEntry is one entry without the chain, to see where time goes.
func BenchmarkOpenEntry(b *testing.B) {
	e := benchLog(b, 1)[0]
	b.ReportAllocs()
	for b.Loop() {
		if _, err := OpenEntry(e); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkMerkleRoot(b *testing.B) {
	leaves := make([][32]byte, 10_000)
	for i := range leaves {
		leaves[i] = LeafHash(leafData(i))
	}
	for b.Loop() {
		MerkleRoot(leaves)
	}
}

// BenchmarkEd25519Floor is one bare signature check over an entry-sized
// message, as cose checks one: the floor under BenchmarkOpenEntry, and the
// yardstick for reading BenchmarkVerifyChain on a busy machine. The
// standard library's check beside it is what cose used before.
func BenchmarkEd25519Floor(b *testing.B) {
	msg := make([]byte, 700)
	signed, err := cose.Sign(contractorKey, msg)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("cose", func(b *testing.B) {
		for b.Loop() {
			if _, err := cose.Open(signed); err != nil {
				b.Fatal(err)
			}
		}
	})
	sig := ed25519.Sign(contractorKey, msg)
	b.Run("stdlib", func(b *testing.B) {
		for b.Loop() {
			if !ed25519.Verify(pub(contractorKey), msg, sig) {
				b.Fatal("does not verify")
			}
		}
	})
}
