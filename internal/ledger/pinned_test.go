package ledger

import (
	"errors"
	"slices"
	"testing"
)

// VerifyPinned accepts what VerifyChain accepts, refuses entries that do
// not give the checkpoint's root, and still applies the chain rules and
// the signer of each entry's header.
func TestVerifyPinned(t *testing.T) {
	c, entries := testCheckpoint(t)
	want, err := VerifyChain(testContract, pub(contractorKey), Head{}, nil, entries...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := VerifyPinned(testContract, pub(contractorKey), c, entries)
	if err != nil || len(got) != len(want) {
		t.Fatalf("VerifyPinned = %d entries, %v; want %d", len(got), err, len(want))
	}
	for i := range got {
		if got[i].Hash != want[i].Hash || got[i].Entry.Seq != want[i].Entry.Seq {
			t.Fatalf("entry %d differs from VerifyChain's", i)
		}
	}
	swapped := slices.Clone(entries)
	swapped[1], swapped[2] = entries[2], entries[1]
	if _, err := VerifyPinned(testContract, pub(contractorKey), c, swapped); !errors.Is(err, ErrCheckpointMismatch) {
		t.Errorf("entries swapped: %v, want ErrCheckpointMismatch", err)
	}
	// A checkpoint over entries swapped gives their root: the chain rules
	// still refuse them.
	if _, err := VerifyPinned(testContract, pub(contractorKey), CheckpointFor(c.LogID, swapped), swapped); err == nil {
		t.Error("entries out of order under their own root: accepted")
	}
	if _, err := VerifyPinned(testContract, pub(employerKey), c, entries); err == nil {
		t.Error("another contractor's key: accepted")
	}
}
