package timesheet

import (
	"errors"
	"slices"
	"testing"
)

// Under a cosigned checkpoint Build takes the root for the signatures of
// the entries it does not count, and checks those it counts: a broken
// signature on the week's last entry is refused even though both parties
// signed a checkpoint over its bytes, while one on an entry of another
// week changes nothing (the contractor's signature on the root covers
// it). Without the checkpoint every signature is checked.
func TestCheckpointCoversOnlyUncountedEntries(t *testing.T) {
	w := newWorld(t, testTerms())
	w.autoRun(at(0, 9, 0), 3, "Monday")
	honest := w.build("2026-W48")
	w.autoRun(at(7, 9, 0), 1, "the next week")
	last := len(w.entries) - 1
	w.entries = slices.Clone(w.entries)
	w.entries[last] = flip(w.entries[last], len(w.entries[last])-10) // in the signature

	in := w.input("2026-W48")
	in.Checkpoint = w.checkpoint()
	ts, err := Build(in)
	if err != nil {
		t.Fatalf("Build under the checkpoint, another week's signature broken: %v", err)
	}
	if ts.Totals != honest.Totals || !slices.Equal(ts.Entries, honest.Entries) {
		t.Errorf("totals %+v entries %v, want %+v %v", ts.Totals, ts.Entries, honest.Totals, honest.Entries)
	}
	if _, err := Build(w.input("2026-W48")); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Build without the checkpoint: %v, want ErrBadSignature", err)
	}

	w2 := newWorld(t, testTerms())
	w2.autoRun(at(0, 9, 0), 3, "Monday")
	last = len(w2.entries) - 1
	w2.entries = slices.Clone(w2.entries)
	w2.entries[last] = flip(w2.entries[last], len(w2.entries[last])-10)
	in = w2.input("2026-W48")
	in.Checkpoint = w2.checkpoint()
	if _, err := Build(in); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("Build under the checkpoint, a counted entry's signature broken: %v, want ErrBadSignature", err)
	}
	in.Entries = slices.Clone(in.Entries)
	in.Entries[0] = flip(in.Entries[0], 20) // not the bytes the checkpoint signed
	if _, err := Build(in); !errors.Is(err, ErrTampered) {
		t.Fatalf("Build under the checkpoint, an entry changed: %v, want ErrTampered", err)
	}
}
