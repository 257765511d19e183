package node

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/p2p"
)

// How each contract's counterpart was last reached is read for all
// contracts at once, and each sync state (the team view's rows) shows its
// own contract's.
func TestSyncStatesShowEachLastReached(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	p := acceptedPair(t, clk, OfferParams{Title: "Reached", Rate: "35.00", Currency: "USD", Screenshots: 1})
	cs, err := p.emp.Contracts().List()
	if err != nil || len(cs) != 1 {
		t.Fatalf("%d contracts (%v), want 1", len(cs), err)
	}
	if st := p.emp.syncStatesOf(cs, false); st[0].LastPath != "" || !st[0].LastGood.IsZero() {
		t.Fatalf("before any sync: %+v", st[0])
	}
	p.emp.noteReached(cs[0].ID(), p2p.PathFile)
	clk.Advance(time.Hour)
	p.emp.noteReached([32]byte{1}, "elsewhere") // another contract's note
	st := p.emp.syncStatesOf(cs, false)
	if st[0].LastPath != p2p.PathFile || !st[0].LastGood.Equal(clk.Now().Add(-time.Hour)) {
		t.Fatalf("after a file was imported: %+v", st[0])
	}
	if got := p.emp.allReached(); len(got) != 2 {
		t.Fatalf("%d notes read, want 2", len(got))
	}
}
