package node

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
)

// The gates' answers follow the contracts at once, though they are kept
// between commits: an open offer admits a guest, its acceptance makes the
// contractor a party, and a withdrawn offer admits nobody.
func TestPartiesFollowTheContracts(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC))
	p := acceptedPair(t, clk, OfferParams{Title: "Gates", Rate: "35.00", Currency: "USD", Screenshots: 1})
	stranger := OpenTestNode(t, clk, "Mallory")
	guest, _ := stranger.Identity()
	if !p.emp.allowed(guest.PeerID()) || p.emp.isParty(guest.PeerID()) || p.emp.isParty(p.me.PeerID()) {
		t.Fatal("an open offer: want guests admitted, nobody a party yet")
	}
	signed, proof, ok := p.con.side.PendingAcceptance(p.cid)
	if !ok {
		t.Fatal("no pending acceptance")
	}
	if _, err := p.emp.side.RecordAcceptance(signed, proof, p.me.PeerID()); err != nil {
		t.Fatal(err)
	}
	if !p.emp.isParty(p.me.PeerID()) || p.emp.allowed(guest.PeerID()) {
		t.Fatal("accepted: want the contractor a party and guests no longer admitted")
	}
	other, err := p.emp.OfferContract(OfferParams{Title: "Second", Rate: "35.00", Currency: "USD", Screenshots: 1})
	if err != nil {
		t.Fatal(err)
	}
	if !p.emp.allowed(guest.PeerID()) {
		t.Fatal("a second open offer: want guests admitted")
	}
	if _, err := p.emp.WithdrawOffer(WithdrawParams{Contract: other.Contract.ID}); err != nil {
		t.Fatal(err)
	}
	if p.emp.allowed(guest.PeerID()) || !p.emp.isParty(p.me.PeerID()) {
		t.Fatal("the offer withdrawn: want guests refused, the contractor still a party")
	}
}
