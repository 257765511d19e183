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

// An export checks its zip as verify would, but takes the log Build
// verified under the checkpoint instead of decoding it again, and only
// when the zip holds exactly those bytes: an entry, offer or checkpoint
// that differs from what Build verified sends the check through the
// whole log again, which refuses it.
func TestExportCheckReusesOnlyTheBytesBuildVerified(t *testing.T) {
	w := newWorld(t, testTerms())
	w.autoRun(at(0, 9, 0), 3, "Monday")
	w.autoRun(at(7, 9, 0), 2, "the next week")
	in := w.input("2026-W48")
	in.Checkpoint = w.checkpoint()
	ts, err := Build(in)
	if err != nil {
		t.Fatal(err)
	}
	if ts.src.pinned == nil {
		t.Fatal("Build under a checkpoint kept no verified log")
	}
	signed, zipBytes, err := Pack(ts, w.emp.PrivateKey(), in.Checkpoint)
	if err != nil {
		t.Fatalf("Pack: %v", err)
	}
	b := mustParse(t, zipBytes)
	if !ts.src.pinned.covers(b) {
		t.Error("the verified log does not cover the zip made of it")
	}
	if sum, err := VerifyBundleBytes(zipBytes); err != nil || sum.Timesheet.Totals != signed.Totals {
		t.Errorf("VerifyBundleBytes of the export: %v %+v", err, sum.Timesheet.Totals)
	}

	for _, c := range []struct {
		name   string
		change func(b *bundle)
	}{
		{"an entry", func(b *bundle) { b.entries[1] = flip(b.entries[1], 20) }},
		{"an entry fewer", func(b *bundle) { b.entries = b.entries[:len(b.entries)-1] }},
		{"the offer", func(b *bundle) { b.offer = append(slices.Clone(b.offer), 0) }},
		{"the checkpoint", func(b *bundle) { b.checkpoint = append(slices.Clone(b.checkpoint), '\n') }},
	} {
		other := b
		other.entries = slices.Clone(b.entries)
		c.change(&other)
		if ts.src.pinned.covers(other) {
			t.Errorf("%s changed: the verified log still covers the bundle", c.name)
		}
	}

	// The timesheet's entries changed after Build, so the zip carries
	// bytes Build never verified: the export refuses to write it, whether
	// the change is in an entry it counts (its signature) or in another
	// week's (which only the checkpoint's root covers).
	counted := int(ts.Entries[0]) - 1
	for _, c := range []struct {
		name  string
		i, at int
	}{
		{"a counted entry's signature", counted, len(ts.src.entries[counted]) - 10},
		{"another week's entry", len(ts.src.entries) - 1, 20},
	} {
		bad := ts
		bad.src.entries = slices.Clone(ts.src.entries)
		bad.src.entries[c.i] = flip(bad.src.entries[c.i], c.at)
		if _, _, err := Pack(bad, w.emp.PrivateKey(), in.Checkpoint); !errors.Is(err, ErrTampered) {
			t.Errorf("%s changed after Build: Pack says %v, want ErrTampered", c.name, err)
		}
	}
}
