package timesheet

import (
	"bytes"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// reviewWorld is closedWorld with, bound after the close (in W49, inside
// W48's review window), the employer's dispute of W48's first segment, the
// contractor's answer, and more W49 time around them.
func reviewWorld(t *testing.T) (*world, []byte, *contract.Dispute) {
	w, closeNote := closedWorld(t)
	from, _ := w.offer.ReviewWindow(monday)
	d, err := contract.NewDispute(w.offer, w.emp, []time.Time{at(0, 9, 0)}, "Not this project", from.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	w.bind(d.Signed(), from.Add(time.Hour))
	w.autoRun(at(8, 9, 0), 1, "the week after, more")
	a, err := contract.NewAnswer(d, w.con, "It was the release", from.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	w.bind(a.Signed(), from.Add(2*time.Hour))
	return w, closeNote, d
}

// packReviewed builds the closed week from the whole log under the newest
// cosigned checkpoint, as the node exports it.
func (w *world) packReviewed(week string, closeNote []byte, signer *identity.Identity) (Timesheet, []byte) {
	in := w.input(week)
	in.Close, in.Review = closeNote, w.checkpoint()
	return w.packInput(in, signer)
}

// A dispute bound after the close, and its answer, reach the closed week's
// bundle proven against the later checkpoint, and nothing else of later
// weeks does; the totals, the CSV and verify show the disputed time apart.
func TestClosedWeekCarriesLaterDispute(t *testing.T) {
	w, closeNote, _ := reviewWorld(t)
	ts, zipBytes := w.packReviewed("2026-W48", closeNote, w.emp)
	sum, err := VerifyBundleBytes(zipBytes)
	if err != nil {
		t.Fatalf("the honest closed week with its review: %v", err)
	}
	if ts.Totals.DisputedMinutes != 10 || len(ts.Disputes) != 1 || len(ts.Disputes[0].Answers) != 1 || ts.ReviewedSize != 13 {
		t.Errorf("totals %+v, disputes %+v, reviewed to %d; want 10 disputed minutes, one dispute answered, size 13", ts.Totals, ts.Disputes, ts.ReviewedSize)
	}
	files, err := readZip(zipBytes)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.name)
		if strings.Contains(string(f.data), "the week after") {
			t.Errorf("%s carries another week's memo", f.name)
		}
	}
	want := "review/checkpoint.note review/consistency.proof review/000011.cose review/000011.proof review/000013.cose review/000013.proof"
	if got := strings.Join(names, " "); !strings.HasSuffix(got, want) {
		t.Errorf("members end %s\nwant %s", got, want)
	}
	for _, line := range []string{"disputed, not billed: 0:10", "Not this project", "answer ", "It was the release",
		"proven up to log size 13"} {
		if !strings.Contains(sum.String(), line) {
			t.Errorf("summary does not say %q:\n%s", line, sum)
		}
	}
	csv, err := CSV(ts)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(csv), ",10,Not this project,") {
		t.Errorf("the CSV does not show the dispute:\n%s", csv)
	}
	// Exported again with nothing new in the log: the same bytes.
	if _, again := w.packReviewed("2026-W48", closeNote, w.emp); !bytes.Equal(again, zipBytes) {
		t.Errorf("the closed week's bundle changed between two exports")
	}
}

// With nothing of the week after the close, the bundle is the one of the
// close alone: a later checkpoint adds no member.
func TestClosedWeekNoReviewSameBundle(t *testing.T) {
	w, closeNote := closedWorld(t)
	_, atClose := w.packClosed("2026-W48", closeNote, w.emp)
	_, reviewed := w.packReviewed("2026-W48", closeNote, w.emp)
	if !bytes.Equal(atClose, reviewed) {
		t.Errorf("a later checkpoint with nothing of the week changed the bundle")
	}
}

// The records after the close must each be a dispute of this week in its
// review window, or the contractor's answer to one, proven in a later
// checkpoint both parties signed that extends the close.
func TestClosedWeekReviewRefused(t *testing.T) {
	w, closeNote, _ := reviewWorld(t)
	ts, _ := w.packReviewed("2026-W48", closeNote, w.emp)
	rv := ts.src.review
	build := func(mod func(in *Input)) error {
		in := w.input("2026-W48")
		in.Entries, in.Close, in.Proofs = nil, closeNote, ts.src.proofs
		in.Entries = ts.src.entries
		in.Review, in.Consistency = rv.note, rv.consistency
		in.ReviewEntries, in.ReviewProofs = append([][]byte(nil), rv.entries...), append([][][32]byte(nil), rv.proofs...)
		mod(&in)
		_, err := Build(in)
		return err
	}
	if err := build(func(*Input) {}); err != nil {
		t.Fatalf("the honest inputs: %v", err)
	}
	w2, _, _ := reviewWorld(t)
	foreign := w2.checkpoint()
	contractorOnly := w.checkpoint()
	contractorOnly = contractorOnly[:bytes.LastIndex(contractorOnly[:len(contractorOnly)-1], []byte("\n"))+1]
	cases := []struct {
		name string
		mod  func(in *Input)
		want error
		says string
	}{
		{"a broken inclusion proof", func(in *Input) { in.ReviewProofs[0] = in.ReviewProofs[1] }, ledger.ErrNotReviewed, "does not lead to root"},
		{"a checkpoint not cosigned", func(in *Input) { in.Review = contractorOnly }, ErrNotCosigned, "1 of the 2 signatures"},
		{"a later checkpoint of another log", func(in *Input) { in.Review = foreign }, ledger.ErrNotReviewed, "is of log"},
		{"an inconsistent later checkpoint", func(in *Input) { in.Consistency = in.Consistency[1:] }, ledger.ErrNotReviewed, "does not extend the close"},
		{"an answer without its dispute", func(in *Input) {
			in.ReviewEntries, in.ReviewProofs = in.ReviewEntries[1:], in.ReviewProofs[1:]
		}, contract.ErrNoDispute, "no such dispute"},
		{"an entry of the close again", func(in *Input) {
			in.ReviewEntries[0], in.ReviewProofs[0] = ts.src.entries[0], ts.src.proofs[0]
		}, ledger.ErrNotReviewed, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := build(tc.mod)
			if err == nil || !errors.Is(err, tc.want) || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("Build: %v; want %v saying %q", err, tc.want, tc.says)
			}
			t.Logf("refused: %v", err)
		})
	}
}

// Records the contractor's node would never bind, bound anyway and proven
// in a checkpoint both parties signed, are refused for what they are.
func TestClosedWeekReviewRecordsRefused(t *testing.T) {
	from, until := newWorld(t, testTerms()).offer.ReviewWindow(monday)
	cases := []struct {
		name string
		rec  func(w *world, d *contract.Dispute) ([]byte, time.Time)
		says string
	}{
		{"a forged answer, signed by the employer", func(w *world, d *contract.Dispute) ([]byte, time.Time) {
			a, err := contract.NewAnswer(d, w.emp, "Agreed", from.Add(3*time.Hour))
			noErr(t, err)
			return a.Signed(), from.Add(3 * time.Hour)
		}, "only the contractor answers"},
		{"a dispute outside the review window", func(w *world, _ *contract.Dispute) ([]byte, time.Time) {
			d, err := contract.NewDispute(w.offer, w.emp, []time.Time{at(1, 9, 0)}, "Too late", until.Add(time.Hour))
			noErr(t, err)
			return d.Signed(), until.Add(time.Hour)
		}, "may be disputed from"},
		{"a dispute of another week", func(w *world, _ *contract.Dispute) ([]byte, time.Time) {
			d, err := contract.NewDispute(w.offer, w.emp, []time.Time{at(-2, 10, 0)}, "Last week's", from.Add(3*time.Hour))
			noErr(t, err)
			return d.Signed(), from.Add(3 * time.Hour)
		}, "it is about the week of 2026-11-16"},
		{"a pause, which a closed week does not carry", func(w *world, _ *contract.Dispute) ([]byte, time.Time) {
			h, err := contract.NewHold(w.offer.ID(), w.emp, false, "Holiday", from.Add(3*time.Hour))
			noErr(t, err)
			return h.Signed(), from.Add(3 * time.Hour)
		}, "not a dispute or an answer"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w, closeNote, d := reviewWorld(t)
			rec, bound := tc.rec(w, d)
			s := w.bind(rec, bound)
			ts, _ := w.packClosed("2026-W48", closeNote, w.emp)
			log, err := ledger.VerifyChain([32]byte(w.offer.ID()), w.acc.Contractor.PublicKey, ledger.Head{}, nil, w.entries...)
			noErr(t, err)
			leaves := make([][32]byte, len(w.entries))
			for i, b := range w.entries {
				leaves[i] = ledger.LeafHash(b)
			}
			cons, err := ledger.ConsistencyProof(leaves, 8)
			noErr(t, err)
			proofs, err := ledger.WeekProofs(log, uint64(len(log)), []ledger.Signed{s})
			noErr(t, err)
			in := w.input("2026-W48")
			in.Entries, in.Close, in.Proofs = ts.src.entries, closeNote, ts.src.proofs
			in.Review, in.Consistency, in.ReviewEntries, in.ReviewProofs = w.checkpoint(), cons, [][]byte{s.Bytes}, proofs
			if d != nil && tc.says == "only the contractor answers" { // the answer needs its dispute before it
				in.ReviewEntries = [][]byte{log[10].Bytes, s.Bytes}
				in.ReviewProofs, err = ledger.WeekProofs(log, uint64(len(log)), []ledger.Signed{log[10], s})
				noErr(t, err)
			}
			_, err = Build(in)
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Fatalf("Build: %v; want it refused saying %q", err, tc.says)
			}
			t.Logf("refused: %v", err)
		})
	}
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// A dispute bound before the close (the contractor's node took it in at
// the sync that closed the week) is in the closed entries; the answer
// bound after the close joins it from the review.
func TestClosedWeekLaterAnswer(t *testing.T) {
	w := newWorld(t, testTerms())
	w.autoRun(at(0, 9, 0), 3, "Monday")
	from, _ := w.offer.ReviewWindow(monday)
	d, err := contract.NewDispute(w.offer, w.emp, []time.Time{at(0, 9, 10)}, "Not this project", from.Add(time.Minute))
	noErr(t, err)
	w.bind(d.Signed(), from.Add(time.Minute))
	closeNote := w.closeWeek("2026-W48")
	w.autoRun(at(8, 9, 0), 1, "the week after")
	a, err := contract.NewAnswer(d, w.con, "It was the release", from.Add(time.Hour))
	noErr(t, err)
	answer := w.bind(a.Signed(), from.Add(time.Hour))
	ts, zipBytes := w.packReviewed("2026-W48", closeNote, w.emp)
	if _, err := VerifyBundleBytes(zipBytes); err != nil {
		t.Fatal(err)
	}
	if len(ts.Disputes) != 1 || len(ts.Disputes[0].Answers) != 1 || ts.Totals.DisputedMinutes != 10 {
		t.Errorf("disputes %+v, totals %+v; want the dispute with its later answer, 10 minutes", ts.Disputes, ts.Totals)
	}
	if got := ts.src.review.seqs; len(got) != 1 || got[0] != answer.Entry.Seq {
		t.Errorf("the review carries seqs %v, want only the answer's, %d", got, answer.Entry.Seq)
	}
}
