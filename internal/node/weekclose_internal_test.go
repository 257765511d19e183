package node

import (
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/syncstore"
)

// The employer cosigns a week close only when its own copy gives the same
// close, after the deadline by its clock; what a hostile contractor sends
// beside its checkpoint (a close too early, of no week start, with another
// count, another acceptance, signed by someone else, or a second close of
// a closed week) is left out and nothing of it is kept.
func TestCosignClosesTakesOnlyWhatTheCopyGives(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)) // Monday of 2026-W48
	p, emp, sign, honest := closesPair(t, clk)
	w48 := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	if got, err := emp.CosignCloses(p.cid, [][]byte{sign(honest(w48), "contractor")}); err != nil || len(got) != 0 {
		t.Fatalf("a close before the deadline: %d cosigned, %v; want none", len(got), err)
	}
	clk.Advance(w48.AddDate(0, 0, 8).Add(time.Hour).Sub(clk.Now())) // past W48's deadline
	w47 := w48.AddDate(0, 0, -7)
	counted, otherAcc, shifted := honest(w47), honest(w47), honest(w47)
	counted.Count = 1
	otherAcc.Acceptance[0] ^= 1
	shifted.Week += 3600
	bad := [][]byte{sign(counted, "contractor"), sign(otherAcc, "contractor"), sign(shifted, "contractor"), sign(honest(w47), "employer")}
	got, err := emp.CosignCloses(p.cid, append(bad, sign(honest(w48), "contractor")))
	if err != nil || len(got) != 1 || !strings.Contains(string(got[0]), "\nweek 1795392000\n") {
		t.Fatalf("cosigned %d closes (%v), want only the honest close of 2026-W48:\n%s", len(got), err, got)
	}
	second := honest(w48)
	second.Count, second.Digest = 0, [32]byte{1}
	if again, _ := emp.CosignCloses(p.cid, [][]byte{sign(second, "contractor")}); len(again) != 0 {
		t.Fatalf("a second, different close of a closed week was cosigned")
	}
	if again, _ := emp.CosignCloses(p.cid, [][]byte{sign(honest(w48), "contractor")}); len(again) != 1 || string(again[0]) != string(got[0]) {
		t.Fatalf("the same close again: want the kept cosignature back")
	}
	rules, _ := p.emp.entryRules(p.c)
	if rules.Closed[w48.Unix()] != 0 || len(rules.Closed) != 1 {
		t.Fatalf("closed weeks %v, want 2026-W48 at size 0 only", rules.Closed)
	}
}

// Two rounds of the same contract at once (the employer's loop pulling
// while the contractor's sync pushes) both send the week's close: both get
// the same kept cosignature, and neither is refused because the other's
// write landed first.
func TestCosignClosesOfConcurrentRounds(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC)) // past 2026-W48's deadline
	p, emp, sign, honest := closesPair(t, clk)
	note := sign(honest(time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)), "contractor")
	const rounds = 8
	got := make([][][]byte, rounds)
	errs := make([]error, rounds)
	var wg sync.WaitGroup
	for i := range rounds {
		wg.Go(func() { got[i], errs[i] = emp.CosignCloses(p.cid, [][]byte{note}) })
	}
	wg.Wait()
	for i := range rounds {
		if errs[i] != nil || len(got[i]) != 1 || string(got[i][0]) != string(got[0][0]) {
			t.Fatalf("round %d: %d closes cosigned, %v; want the one kept cosignature", i, len(got[i]), errs[i])
		}
	}
}

// closesPair is an accepted contract held by both sides, with helpers that
// sign a week close as either party and give the honest close of a week
// of its empty log.
func closesPair(t *testing.T, clk *clocktest.Fake) (pair, *syncstore.Adapter, func(ledger.WeekClose, string) []byte, func(time.Time) ledger.WeekClose) {
	t.Helper()
	p := acceptedPair(t, clk, OfferParams{Title: "Closes", Rate: "35.00", Currency: "USD", Screenshots: 1})
	signed, proof, ok := p.con.side.PendingAcceptance(p.cid)
	if !ok {
		t.Fatal("no pending acceptance")
	}
	if _, err := p.emp.side.RecordAcceptance(signed, proof, p.me.PeerID()); err != nil {
		t.Fatal(err)
	}
	emp := p.emp.side
	boss, _ := p.emp.Identity()
	empty := ledger.CheckpointFor(p.logID, nil)
	sign := func(w ledger.WeekClose, by string) []byte {
		t.Helper()
		key, name := p.me.PrivateKey(), p.me.PeerID().String()
		if by == "employer" {
			key, name = boss.PrivateKey(), boss.PeerID().String()
		}
		note, err := ledger.SignWeekClose(key, name, w)
		if err != nil {
			t.Fatal(err)
		}
		return note
	}
	honest := func(week time.Time) ledger.WeekClose {
		return ledger.WeekCloseAt(empty, nil, week.Unix(), week.AddDate(0, 0, 7).Unix(), p.c.Acceptance.Signed())
	}
	return p, emp, sign, honest
}
