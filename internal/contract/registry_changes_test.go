package contract

import (
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/identity"
)

// lifecycleFixture is an accepted contract between Acme and Dana, and Eve,
// who is no party to it.
type lifecycleFixture struct {
	emp, con, eve *identity.Identity
	o             *Offer
	a             *Acceptance
}

func newLifecycleFixture(t *testing.T) lifecycleFixture {
	f := lifecycleFixture{emp: newIdentity(t, "Acme"), con: newIdentity(t, "Dana"), eve: newIdentity(t, "Eve")}
	f.o = newTestOffer(t, f.emp)
	var err error
	if f.a, err = Accept(f.o, f.con, nil, t0); err != nil {
		t.Fatal(err)
	}
	return f
}

// must is a record's signed bytes; the fixtures sign nothing that fails.
func must[T interface{ Signed() []byte }](v T, err error) []byte {
	if err != nil {
		panic(err)
	}
	return v.Signed()
}

// TestLifecycleBind applies each rule of Lifecycle.Bind: who may sign
// what, how far back an end or a pause reaches, the order of pauses and
// amendments, the review window of a dispute.
func TestLifecycleBind(t *testing.T) {
	f := newLifecycleFixture(t)
	id := f.o.ID()
	bindAt := t0.Add(48 * time.Hour) // Friday of the week of t0
	weekOfT0 := f.o.Weeks().Begin(t0)
	closed := weekOfT0.AddDate(0, 0, -7)
	_, reviewUntil := f.o.ReviewWindow(closed)
	seg := closed.Add(10 * time.Hour)
	other := newTestOffer(t, f.emp)
	tests := []struct {
		name   string
		before [][]byte // bound first, each at bindAt
		record []byte
		at     time.Time
		want   error
	}{
		{"end by contractor", nil, must(NewEnd(id, f.con, "", bindAt)), bindAt, nil},
		{"end by employer, back to the open week", nil, must(NewEnd(id, f.emp, "", weekOfT0)), bindAt, nil},
		{"end in the future", nil, must(NewEnd(id, f.con, "", bindAt.Add(time.Hour))), bindAt, ErrWrongTime},
		{"end reaching into a closed week", nil, must(NewEnd(id, f.emp, "", closed.Add(time.Hour))), bindAt, ErrWrongTime},
		{"end by a stranger", nil, must(NewEnd(id, f.eve, "", bindAt)), bindAt, ErrWrongSigner},
		{"end of another contract", nil, must(NewEnd(other.ID(), f.emp, "", bindAt)), bindAt, ErrWrongContract},
		{"second end", [][]byte{must(NewEnd(id, f.con, "", bindAt))}, must(NewEnd(id, f.emp, "", bindAt)), bindAt, ErrEnded},
		{"pause", nil, must(NewHold(id, f.emp, false, "", bindAt)), bindAt, nil},
		{"pause while paused", [][]byte{must(NewHold(id, f.emp, false, "", bindAt))}, must(NewHold(id, f.con, false, "", bindAt)), bindAt, ErrPaused},
		{"resume unpaused", nil, must(NewHold(id, f.con, true, "", bindAt)), bindAt, ErrNotPaused},
		{"resume", [][]byte{must(NewHold(id, f.emp, false, "", bindAt))}, must(NewHold(id, f.con, true, "", bindAt.Add(time.Hour))), bindAt, nil},
		{"pause into a closed week", nil, must(NewHold(id, f.emp, false, "", closed)), bindAt, ErrWrongTime},
		{"amendment", nil, must(NewAmendment(f.o, f.emp, 1, Change{RateMinor: 5000, WeeklyLimitHours: 10, From: nextWeek}, t0)), bindAt, nil},
		{"amendment bound once its week began", nil, must(NewAmendment(f.o, f.emp, 1, Change{WeeklyLimitHours: 10, From: nextWeek}, t0)), nextWeek.Add(time.Hour), ErrWrongTime},
		{"amendment out of order", nil, must(NewAmendment(f.o, f.emp, 2, Change{WeeklyLimitHours: 10, From: nextWeek}, t0)), bindAt, ErrMalformed},
		{"dispute in the review window", nil, must(NewDispute(f.o, f.emp, []time.Time{seg}, "Not our project", bindAt)), bindAt, nil},
		{"dispute after the review window", nil, must(NewDispute(f.o, f.emp, []time.Time{seg}, "Late", reviewUntil)), reviewUntil, ErrWrongTime},
		{"dispute before the week closed", nil, must(NewDispute(f.o, f.emp, []time.Time{t0.Truncate(time.Hour)}, "Early", bindAt)), bindAt, ErrWrongTime},
		{"dispute by the contractor", nil, resign(t, f.con, disputeWire{Kind: kindDispute, Version: recordVersion,
			ContractID: id.Bytes(), At: bindAt.Unix(), Reason: "x", Segments: []int64{seg.Unix()}}), bindAt, ErrWrongSigner},
		{"offer is no change", nil, f.o.Signed(), bindAt, ErrWrongKind},
		{"bound twice", [][]byte{must(NewEnd(id, f.con, "", bindAt))}, nil, bindAt, ErrAlreadyBound},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := NewLifecycle(f.o, f.a)
			for _, b := range tt.before {
				if err := l.Bind(b, bindAt); err != nil {
					t.Fatalf("bind the records before: %v", err)
				}
			}
			rec := tt.record
			if rec == nil {
				rec = tt.before[0]
			}
			if err := l.Bind(rec, tt.at); !errors.Is(err, tt.want) {
				t.Fatalf("Bind = %v, want %v", err, tt.want)
			}
		})
	}
}

// TestLifecycleTerms: an amendment changes the rate and limit from its
// week on, never before; pauses and the end become entry rules; an answer
// names a bound dispute.
func TestLifecycleTerms(t *testing.T) {
	f := newLifecycleFixture(t)
	l := NewLifecycle(f.o, f.a)
	bindAt := t0.Add(time.Hour)
	am := must(NewAmendment(f.o, f.emp, 1, Change{RateMinor: 5000, WeeklyLimitHours: 10, From: nextWeek}, t0))
	pause := must(NewHold(f.o.ID(), f.emp, false, "holiday", bindAt))
	resume := must(NewHold(f.o.ID(), f.con, true, "", bindAt.Add(2*time.Hour)))
	for _, b := range [][]byte{am, pause, resume} {
		if err := l.Bind(b, bindAt); err != nil {
			t.Fatal(err)
		}
	}
	if r, h := l.TermsFor(f.o.Weeks().Begin(t0)); r != 3500 || h != 40 {
		t.Errorf("terms of t0's week = %d, %d h, want the offer's 3500, 40 h", r, h)
	}
	if r, h := l.TermsFor(nextWeek.AddDate(0, 0, 7)); r != 5000 || h != 10 {
		t.Errorf("terms after the amendment = %d, %d h, want 5000, 10 h", r, h)
	}
	if _, paused := l.Paused(bindAt.Add(time.Hour)); !paused {
		t.Error("not paused inside the pause")
	}
	if _, paused := l.Paused(bindAt.Add(3 * time.Hour)); paused {
		t.Error("paused after the resumption")
	}
	rules := l.EntryRules()
	if len(rules.Paused) != 1 || !rules.Paused[0].Contains(bindAt.Add(time.Hour)) {
		t.Errorf("entry rules' pauses = %+v", rules.Paused)
	}
	d, err := NewDispute(f.o, f.emp, []time.Time{nextWeek.Add(-48 * time.Hour)}, "wrong", nextWeek.AddDate(0, 0, 2))
	if err != nil {
		t.Fatal(err)
	}
	ans := must(NewAnswer(d, f.con, "It was the release", nextWeek.AddDate(0, 0, 3)))
	if err := l.Bind(ans, nextWeek.AddDate(0, 0, 3)); !errors.Is(err, ErrNoDispute) {
		t.Errorf("answer before its dispute: %v, want ErrNoDispute", err)
	}
	if err := l.Bind(d.Signed(), nextWeek.AddDate(0, 0, 2)); err != nil {
		t.Fatal(err)
	}
	if err := l.Bind(ans, nextWeek.AddDate(0, 0, 3)); err != nil {
		t.Fatal(err)
	}
	if got := l.AnswersTo(d); len(got) != 1 || got[0].Text != "It was the release" {
		t.Errorf("answers = %+v", got)
	}
}

// TestRegistryBindAndPropose carries an employer's end from its registry's
// outbox to the contractor's, and back as bound, surviving a reopen.
func TestRegistryBindAndPropose(t *testing.T) {
	emp, con := newIdentity(t, "Acme"), newIdentity(t, "Dana")
	empReg := NewRegistry(openStore(t, t.TempDir()))
	dir := t.TempDir()
	conStore := openStore(t, dir)
	conReg := NewRegistry(conStore)
	offered, err := empReg.Offer(testTerms(), emp, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	id := offered.ID()
	accepted, err := conReg.AcceptOffline(offered.Invite(), con, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := empReg.RecordAcceptance(accepted.Acceptance.Signed(), accepted.PairingProof(con.PeerID()), t0); err != nil {
		t.Fatal(err)
	}
	now := t0.Add(2 * time.Hour)
	backdated := must(NewEnd(id, emp, "", t0.AddDate(0, 0, -14)))
	if _, err := empReg.Propose(id, backdated, now); !errors.Is(err, ErrWrongTime) {
		t.Fatalf("propose a backdated end: %v, want ErrWrongTime", err)
	}
	end := must(NewEnd(id, emp, "Budget", now))
	c, err := empReg.Propose(id, end, now)
	if err != nil || len(c.Proposed()) != 1 || c.State != StateActive {
		t.Fatalf("Propose = %v (%d proposed, %s)", err, len(c.Proposed()), c.State)
	}
	if _, err := conReg.Bind(id, end, now); err != nil {
		t.Fatal(err)
	}
	c, err = empReg.Bind(id, end, now)
	if err != nil || c.State != StateEnded || len(c.Proposed()) != 0 || c.End.Reason != "Budget" {
		t.Fatalf("employer's Bind = %v (%s, %d proposed)", err, c.State, len(c.Proposed()))
	}
	if err := conStore.Close(); err != nil {
		t.Fatal(err)
	}
	again, err := NewRegistry(openStore(t, dir)).Get(id)
	if err != nil || again.State != StateEnded || again.End == nil || !again.End.By.Equal(emp.PublicKey()) {
		t.Fatalf("after reopening: %+v, %v", again, err)
	}
}
