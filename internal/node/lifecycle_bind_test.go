package node

import (
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// The contractor's node binds what an employer's have brings only when it
// is a change the contract's employer may make now: a forged, foreign,
// stranger's or backdated record is refused with why, and nothing of it
// reaches the log or the registry; the employer's own end is bound once,
// however often it is offered.
func TestBindRefusesForeignRecords(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	p := acceptedPair(t, clk, OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD", Screenshots: 1})
	empID, _ := p.emp.Identity()
	stranger, err := identity.Create(t.TempDir(), "Mallory")
	if err != nil {
		t.Fatal(err)
	}
	other, err := p.emp.OfferContract(OfferParams{Title: "Other", Rate: "1.00", Currency: "USD"})
	if err != nil {
		t.Fatal(err)
	}
	otherID, _ := contract.ParseID(other.Contract.ID)
	now := clk.Now()
	sign := func(e *contract.End, err error) []byte {
		if err != nil {
			t.Fatal(err)
		}
		return e.Signed()
	}
	honest := sign(contract.NewEnd(p.c.ID(), empID, "Budget", now))
	forged := append([]byte(nil), honest...)
	forged[len(forged)-1] ^= 1
	side := p.con.newSyncStore()
	for name, rec := range map[string][]byte{
		"a stranger's end":               sign(contract.NewEnd(p.c.ID(), stranger, "", now)),
		"an end of another contract":     sign(contract.NewEnd(otherID, empID, "", now)),
		"an end with a forged signature": forged,
		"a backdated end":                sign(contract.NewEnd(p.c.ID(), empID, "", now.AddDate(0, 0, -21))),
		"garbage":                        []byte("not a record"),
	} {
		if err := side.Bind(p.cid, [][]byte{rec}); !errors.Is(err, syncp2p.ErrTerms) {
			t.Errorf("%s: Bind = %v, want ErrTerms", name, err)
		}
	}
	if head := headOf(t, p.con.store, p.logID); head != 0 {
		t.Fatalf("after refused records the log is at seq %d, want empty", head)
	}
	for range 2 {
		if err := side.Bind(p.cid, [][]byte{honest}); err != nil {
			t.Fatal(err)
		}
	}
	c, _ := p.con.Contracts().Get(p.c.ID())
	if head := headOf(t, p.con.store, p.logID); head != 1 || c.State != contract.StateEnded {
		t.Fatalf("after the employer's end: log at seq %d, contract %s; want seq 1, ended", head, c.State)
	}
}

func headOf(t *testing.T, st *store.Store, logID [32]byte) uint64 {
	t.Helper()
	var seq uint64
	err := st.View(func(x *store.Txn) error {
		h, err := logdb.Head(x, logID)
		seq = h.Seq
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return seq
}

// The tracker's policy follows the contract as bound: a paused contract
// starts no session (with the reason), a session running when a pause is
// bound stops at its next minute, and each week's limit is the one in
// force then.
func TestTrackingFollowsLifecycle(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	p := acceptedPair(t, clk, OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD", Screenshots: 1, WeeklyLimitHours: 40})
	cid := p.c.ID().String()
	_, pol, err := p.con.trackingPolicy(TrackParams{Contract: cid, Memo: "work"})
	if err != nil {
		t.Fatal(err)
	}
	next := p.c.Offer.WeekStart.Begin(clk.Now()).AddDate(0, 0, 7)
	if got := pol.WeeklyLimitFor(next); got != 40*time.Hour {
		t.Errorf("next week's limit before an amendment: %v, want 40h", got)
	}
	empID, _ := p.emp.Identity()
	am, err := contract.NewAmendment(p.c.Offer, empID, 1, contract.Change{RateMinor: 3500, WeeklyLimitHours: 12, From: next}, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.con.newSyncStore().Bind(p.cid, [][]byte{am.Signed()}); err != nil {
		t.Fatal(err)
	}
	if got, this := pol.WeeklyLimitFor(next), pol.WeeklyLimitFor(next.AddDate(0, 0, -7)); got != 12*time.Hour || this != 40*time.Hour {
		t.Errorf("limits after the amendment: this week %v, next %v; want 40h, 12h", this, got)
	}
	if _, err := p.con.PauseContract(HoldParams{Contract: cid}); err != nil {
		t.Fatal(err)
	}
	if err := pol.Allowed(clk.Now().Add(time.Minute)); !errors.Is(err, contract.ErrPaused) {
		t.Errorf("a running session after the pause: %v, want ErrPaused", err)
	}
	if _, _, err := p.con.trackingPolicy(TrackParams{Contract: cid, Memo: "work"}); !errors.Is(err, contract.ErrPaused) {
		t.Errorf("tracking a paused contract: %v, want ErrPaused", err)
	}
}

// The tracker asks before every minute whether it may record, and the
// answer comes from memory: the registry (which verifies the contract's
// records again on every read) is read once, and again only after the
// contract changed. A pause bound while the session runs, whether the
// employer's through the sync or the contractor's own, still stops the
// very next minute, and the resumption lets the one after it through.
func TestRecordingAllowedReadsOnlyAfterAChange(t *testing.T) {
	clk := clocktest.New(time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC))
	p := acceptedPair(t, clk, OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD", Screenshots: 1})
	cid := p.c.ID().String()
	_, pol, err := p.con.trackingPolicy(TrackParams{Contract: cid, Memo: "work"})
	if err != nil {
		t.Fatal(err)
	}
	reads := 0
	load := p.con.life.load
	p.con.life.load = func(id contract.ID) (*contract.Contract, error) { reads++; return load(id) }
	p.con.life.forget()
	minute := func() error {
		t.Helper()
		clk.Advance(time.Minute)
		return pol.Allowed(clk.Now())
	}
	for range 60 {
		if err := minute(); err != nil {
			t.Fatalf("an active contract's minute: %v", err)
		}
	}
	if reads != 1 {
		t.Errorf("an hour of minutes read the registry %d times, want once", reads)
	}

	// The employer pauses; the pause reaches the contractor's node as a
	// sync brings it (Sender.Bind), which announces the change.
	empID, _ := p.emp.Identity()
	pause, err := contract.NewHold(p.c.ID(), empID, false, "", clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if err := p.con.newSyncStore().Bind(p.cid, [][]byte{pause.Signed()}); err != nil {
		t.Fatal(err)
	}
	reads = 0
	if err := minute(); !errors.Is(err, contract.ErrPaused) {
		t.Fatalf("the first minute after the employer's pause: %v, want ErrPaused", err)
	}
	if err := minute(); !errors.Is(err, contract.ErrPaused) || reads != 1 {
		t.Errorf("the second minute: %v after %d reads; want ErrPaused after 1", err, reads)
	}

	// The contractor resumes with its own op (bindOwn).
	if _, err := p.con.ResumeContract(HoldParams{Contract: cid}); err != nil {
		t.Fatal(err)
	}
	if err := minute(); err != nil {
		t.Errorf("the first minute after the resumption: %v, want it recorded", err)
	}
	if _, err := p.con.PauseContract(HoldParams{Contract: cid}); err != nil {
		t.Fatal(err)
	}
	if err := minute(); !errors.Is(err, contract.ErrPaused) {
		t.Errorf("the first minute after the contractor's own pause: %v, want ErrPaused", err)
	}
}
