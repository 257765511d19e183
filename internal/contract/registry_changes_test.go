package contract

import (
	"errors"
	"testing"
	"time"
)

// TestRegistryAmendAndEnd carries a new weekly limit and an end of contract
// from one installation to the other, as the sync layer will.
func TestRegistryAmendAndEnd(t *testing.T) {
	emp, con, eve := newIdentity(t, "Acme"), newIdentity(t, "Dana"), newIdentity(t, "Eve")
	empReg := NewRegistry(openStore(t, t.TempDir()))
	conReg := NewRegistry(openStore(t, t.TempDir()))
	offered, err := empReg.Offer(testTerms(), emp, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	id := offered.ID()
	accepted, err := conReg.AcceptOffline(offered.Invite(), con, nil, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empReg.RecordAcceptance(accepted.Acceptance.Signed(), accepted.PairingProof(con.PeerID()), t0); err != nil {
		t.Fatal(err)
	}

	if _, err := conReg.Amend(id, con, 10, t0); !errors.Is(err, ErrNotEmployer) {
		t.Errorf("contractor amends: err = %v, want ErrNotEmployer", err)
	}
	for _, hours := range []int{30, 20} {
		if _, err := empReg.Amend(id, emp, hours, t0.Add(2*time.Hour)); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := empReg.Get(id)
	if c.WeeklyLimitHours() != 20 || c.Offer.WeeklyLimitHours != 40 || c.ListItem().WeeklyLimitHours != 20 {
		t.Errorf("after amendments: limit %d (offer %d), want 20 (offer still 40)", c.WeeklyLimitHours(), c.Offer.WeeklyLimitHours)
	}
	if _, err := conReg.RecordAmendment(c.Amendments[1].Signed()); err == nil {
		t.Error("amendment 2 before 1 was recorded")
	}
	for _, a := range append(c.Amendments, c.Amendments[0]) { // a repeat is harmless
		if _, err := conReg.RecordAmendment(a.Signed()); err != nil {
			t.Fatalf("RecordAmendment(%d): %v", a.Seq, err)
		}
	}
	if got, _ := conReg.Get(id); got.WeeklyLimitHours() != 20 {
		t.Errorf("contractor's limit = %d, want 20", got.WeeklyLimitHours())
	}

	eveEnd, _ := NewEnd(id, eve, "", t0)
	if _, err := empReg.RecordEnd(eveEnd.Signed()); !errors.Is(err, ErrWrongSigner) {
		t.Errorf("end by a stranger: err = %v, want ErrWrongSigner", err)
	}
	ended, err := conReg.End(id, con, "Done", t0.Add(24*time.Hour))
	if err != nil || ended.State != StateEnded {
		t.Fatalf("End = %v, %v", ended, err)
	}
	got, err := empReg.RecordEnd(ended.End.Signed())
	if err != nil || got.State != StateEnded || got.End.Reason != "Done" {
		t.Fatalf("RecordEnd = %+v, %v", got, err)
	}
	if _, err := empReg.End(id, emp, "", t0.Add(25*time.Hour)); !errors.Is(err, ErrEnded) {
		t.Errorf("end twice: err = %v, want ErrEnded", err)
	}
	if _, err := empReg.Amend(id, emp, 5, t0.Add(25*time.Hour)); !errors.Is(err, ErrEnded) {
		t.Errorf("amend after end: err = %v, want ErrEnded", err)
	}
}

// TestRecordEndConverges: both sides end at once; each keeps the earlier
// record, so they agree.
func TestRecordEndConverges(t *testing.T) {
	emp, con := newIdentity(t, "Acme"), newIdentity(t, "Dana")
	empReg := NewRegistry(openStore(t, t.TempDir()))
	conReg := NewRegistry(openStore(t, t.TempDir()))
	offered, _ := empReg.Offer(testTerms(), emp, nil, t0)
	id := offered.ID()
	accepted, err := conReg.AcceptOffline(offered.Invite(), con, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empReg.RecordAcceptance(accepted.Acceptance.Signed(), accepted.PairingProof(con.PeerID()), t0); err != nil {
		t.Fatal(err)
	}
	e1, _ := empReg.End(id, emp, "", t0.Add(2*time.Hour))
	e2, _ := conReg.End(id, con, "", t0.Add(time.Hour))
	a, err1 := empReg.RecordEnd(e2.End.Signed())
	b, err2 := conReg.RecordEnd(e1.End.Signed())
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	if !a.End.By.Equal(con.PublicKey()) || !b.End.By.Equal(con.PublicKey()) {
		t.Errorf("sides disagree on the end: employer keeps %x, contractor keeps %x", a.End.By[:4], b.End.By[:4])
	}
}
