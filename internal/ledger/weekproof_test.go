package ledger

import (
	"errors"
	"testing"
)

// Records bound after a close are proven against a later checkpoint that
// extends the close: a record before the close, a time entry, a proof that
// leads elsewhere, a checkpoint not after the close or not consistent
// with it are refused.
func TestVerifyAfterClose(t *testing.T) {
	b := newBuilder(t)
	for i := range 4 {
		b.add(autoEntry(weekFrom + int64(i)*600))
	}
	logID := LogIDOf(testContract, pub(contractorKey))
	w := NewWeekClose(logID, b.all, weekFrom, weekTo, []byte("acceptance"))
	b.add(autoEntry(weekTo + 3600))                             // seq 5: the next week's time
	rec := b.add(BindRecord([]byte("a dispute"), weekTo+86400)) // seq 6
	b.add(autoEntry(weekTo + 7200))                             // seq 7
	ans := b.add(BindRecord([]byte("an answer"), weekTo+90000)) // seq 8
	later := CheckpointFor(logID, b.bytes())
	leaves := make([][32]byte, len(b.all))
	for i, s := range b.all {
		leaves[i] = LeafHash(s.Bytes)
	}
	cons, err := ConsistencyProof(leaves, w.Size)
	if err != nil {
		t.Fatal(err)
	}
	proofs, err := WeekProofs(b.all, later.Size, []Signed{rec, ans})
	if err != nil {
		t.Fatal(err)
	}
	verify := func(cp Checkpoint, cons [][32]byte, entries []Signed, proofs [][][32]byte) error {
		var bs [][]byte
		for _, s := range entries {
			bs = append(bs, s.Bytes)
		}
		_, err := VerifyAfterClose(testContract, pub(contractorKey), w, cp, cons, bs, proofs)
		return err
	}
	if err := verify(later, cons, []Signed{rec, ans}, proofs); err != nil {
		t.Fatalf("the honest records: %v", err)
	}
	atClose, err := WeekProofs(b.all, later.Size, b.all[3:4])
	if err != nil {
		t.Fatal(err)
	}
	timeProof, err := WeekProofs(b.all, later.Size, b.all[6:7])
	if err != nil {
		t.Fatal(err)
	}
	for name, c := range map[string]struct {
		cp      Checkpoint
		cons    [][32]byte
		entries []Signed
		proofs  [][][32]byte
	}{
		"a record of the closed log":  {later, cons, []Signed{b.all[3]}, atClose},
		"a time entry":                {later, cons, []Signed{b.all[6]}, timeProof},
		"swapped proofs":              {later, cons, []Signed{rec, ans}, [][][32]byte{proofs[1], proofs[0]}},
		"out of order":                {later, cons, []Signed{ans, rec}, [][][32]byte{proofs[1], proofs[0]}},
		"no consistency proof":        {later, nil, []Signed{rec, ans}, proofs},
		"the close as the later one":  {w.Checkpoint, nil, nil, nil},
		"a checkpoint of another log": {Checkpoint{LogID: fakeHash("other"), Size: later.Size, Root: later.Root}, cons, []Signed{rec}, proofs[:1]},
	} {
		if err := verify(c.cp, c.cons, c.entries, c.proofs); !errors.Is(err, ErrNotReviewed) {
			t.Errorf("%s: got %v, want ErrNotReviewed", name, err)
		}
	}
}
