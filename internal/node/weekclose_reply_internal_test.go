package node

import (
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// A reply's cosigned close is kept only when the contractor's log gives
// it at its size, as on the live sync: one the contractor's key signed
// over another acceptance is refused and nothing is kept; the close its
// log gives is kept.
func TestReplyCloseMustBeWhatTheLogGives(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 12, 2, 12, 0, 0, 0, time.UTC))
	p := acceptedPair(t, clk, OfferParams{Title: "Closes", Rate: "35.00", Currency: "USD", Screenshots: 1})
	boss, _ := p.emp.Identity()
	w48 := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	cosigned := func(w ledger.WeekClose) []byte {
		t.Helper()
		note, err := ledger.SignWeekClose(p.me.PrivateKey(), p.me.PeerID().String(), w)
		if err != nil {
			t.Fatal(err)
		}
		if note, err = ledger.Cosign(note, boss.PrivateKey(), boss.PeerID().String()); err != nil {
			t.Fatal(err)
		}
		return note
	}
	honest := ledger.WeekCloseAt(ledger.CheckpointFor(p.logID, nil), nil, w48.Unix(), w48.AddDate(0, 0, 7).Unix(), p.c.Acceptance.Signed())
	other := honest
	other.Acceptance[0] ^= 1
	reply := func(w ledger.WeekClose) error {
		return syncp2p.ImportReply(p.con.side, boss.PeerID(), syncp2p.Reply{Contract: p.cid, Cosigned: [][]byte{cosigned(w)}})
	}
	if err := reply(other); err == nil || !strings.Contains(err.Error(), "this log gives") {
		t.Fatalf("a close over another acceptance: %v, want refused as not what the log gives", err)
	}
	if rules, _ := p.con.entryRules(p.c); len(rules.Closed) != 0 {
		t.Fatalf("closed %v after a refused reply, want none", rules.Closed)
	}
	if err := reply(honest); err != nil {
		t.Fatalf("the close the log gives: %v", err)
	}
	if rules, _ := p.con.entryRules(p.c); len(rules.Closed) != 1 {
		t.Fatalf("closed %v, want 2026-W48", rules.Closed)
	}
}
