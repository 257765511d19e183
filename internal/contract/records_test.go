package contract

import (
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

func TestAcceptance(t *testing.T) {
	emp, con, eve := newIdentity(t, "Acme"), newIdentity(t, "Dana"), newIdentity(t, "Eve")
	o := newTestOffer(t, emp)
	other := newTestOffer(t, emp)
	a, err := Accept(o, con, []string{"/ip4/10.0.0.2/tcp/4001"}, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if a.ContractID != o.ID() || a.Contractor.Name != "Dana" || !a.Contractor.PublicKey.Equal(con.PublicKey()) ||
		!a.AcceptedAt.Equal(t0.Add(time.Hour)) || a.ContractorPeerID() != con.PeerID() {
		t.Errorf("acceptance = %+v", a)
	}
	forged := a.wire()
	forged.Key = con.PublicKey() // names Dana, signed by Eve
	employerAccepts := a.wire()
	employerAccepts.Key, employerAccepts.Name = emp.PublicKey(), "Acme"

	tests := []struct {
		name   string
		signed []byte
		offer  *Offer
		want   error
	}{
		{"valid", a.Signed(), o, nil},
		{"wrong contract", a.Signed(), other, ErrWrongContract},
		{"wrong key", resign(t, eve, forged), o, ErrWrongSigner},
		{"employer accepts own offer", resign(t, emp, employerAccepts), o, ErrWrongSigner},
		{"an offer, not an acceptance", o.Signed(), o, ErrWrongKind},
		{"garbage", []byte{0xd2, 0x84, 0x40}, o, ErrMalformed},
	}
	for _, tt := range tests {
		_, err := VerifyAcceptance(tt.signed, tt.offer)
		if !errors.Is(err, tt.want) || (tt.want != nil && err == nil) {
			t.Errorf("%s: VerifyAcceptance err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if _, err := Accept(o, emp, nil, t0); !errors.Is(err, ErrOwnOffer) {
		t.Errorf("Accept own offer: err = %v, want ErrOwnOffer", err)
	}
	if _, err := Accept(o, con, []string{"not an address"}, t0); err == nil {
		t.Error("Accept with a bad address: want an error")
	}
}

func TestEndAndAmendment(t *testing.T) {
	emp, con := newIdentity(t, "Acme"), newIdentity(t, "Dana")
	o := newTestOffer(t, emp)
	e, err := NewEnd(o.ID(), con, "Project finished", t0.Add(48*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeEnd(e.Signed())
	if err != nil || back.ContractID != o.ID() || !back.By.Equal(con.PublicKey()) || back.Reason != "Project finished" {
		t.Errorf("DecodeEnd = %+v, %v", back, err)
	}
	if _, err := NewEnd(o.ID(), con, "bad\x00reason", t0); !errors.Is(err, ErrMalformed) {
		t.Errorf("end with a control character: err = %v, want ErrMalformed", err)
	}

	ch := Change{RateMinor: 4000, WeeklyLimitHours: 20, From: nextWeek}
	am, err := NewAmendment(o, emp, 1, ch, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if am.WeeklyLimitHours != 20 || am.Seq != 1 {
		t.Errorf("amendment = %+v", am)
	}
	tests := []struct {
		name string
		err  error
		want error
	}{
		{"contractor amends", second(NewAmendment(o, con, 1, ch, t0)), ErrNotEmployer},
		{"limit 200", second(NewAmendment(o, emp, 1, Change{WeeklyLimitHours: 200, From: nextWeek}, t0)), ErrInvalidTerms},
		{"seq 0", second(NewAmendment(o, emp, 0, ch, t0)), ErrMalformed},
		{"this week", second(NewAmendment(o, emp, 1, Change{WeeklyLimitHours: 20, From: nextWeek.AddDate(0, 0, -7)}, t0)), ErrWrongTime},
		{"not a week start", second(NewAmendment(o, emp, 1, Change{WeeklyLimitHours: 20, From: nextWeek.Add(time.Hour)}, t0)), ErrWrongTime},
		{"other contract", second(VerifyAmendment(am.Signed(), newTestOffer(t, emp))), ErrWrongContract},
		{"signed by contractor", second(VerifyAmendment(resign(t, con, am.wire()), o)), ErrWrongSigner},
		{"end read as amendment", second(DecodeAmendment(e.Signed())), ErrWrongKind},
		{"amendment read as end", second(DecodeEnd(am.Signed())), ErrWrongKind},
	}
	for _, tt := range tests {
		if !errors.Is(tt.err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, tt.err, tt.want)
		}
	}
	for signed, want := range map[string]string{string(e.Signed()): "end", string(am.Signed()): "amendment"} {
		if k, err := RecordKind([]byte(signed)); k != want || err != nil {
			t.Errorf("RecordKind = %q, %v; want %q", k, err, want)
		}
	}
	if _, err := RecordKind(o.Signed()); !errors.Is(err, ErrWrongKind) {
		t.Errorf("RecordKind of an offer: %v, want ErrWrongKind", err)
	}
}

func second[T any](_ T, err error) error { return err }

func TestConsent(t *testing.T) {
	emp := newIdentity(t, "Acme")
	o := newTestOffer(t, emp)
	want := []string{
		"Rate: 35.00 USD per hour",
		"Weekly limit: 40 hours; tracking stops at the limit",
		"2 screenshots of all your monitors at random moments in every 10 minutes",
		"You may blur screenshots",
		"No webcam",
		"Counts of key presses, mouse clicks and scrolls per minute — never which keys or what you type",
		"The name of the app you are using and its window title, every few seconds",
		"Time recorded where the desktop does not allow screenshots or input counts is billed but shown apart",
		"Manual time is not allowed",
		"Weeks start Monday 00:00 UTC",
		"A week closes 24 hours after it ends: time approved later cannot be billed for it, only as a correction in the current week",
		"Once a week has closed, the employer has 5 days to dispute its time, with a reason you can answer",
	}
	checkLines(t, "default", o.Consent(), want)

	terms := testTerms()
	terms.RateMinor, terms.Currency = 5000, "JPY"
	terms.WeeklyLimitHours, terms.OverLimit = 1, OverLimitContinueMark
	terms.Screenshots, terms.Blur, terms.Webcam = 1, BlurRequired, WebcamOptional
	terms.ActivityCounting, terms.ManualTime = false, true
	terms.WeekStart, _ = NewWeekStart(time.Sunday, 18*60)
	terms.Unverified = UnverifiedExclude
	terms.CloseAfterHours = 0 // weeks never close: nothing said
	o2, err := NewOffer(terms, emp, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	checkLines(t, "everything else", o2.Consent(), []string{
		"Rate: 5000 JPY per hour",
		"Weekly limit: 1 hour; time over the limit is still recorded and marked as over the limit",
		"1 screenshot of all your monitors at a random moment in every 10 minutes",
		"Screenshots are blurred before they are saved",
		"A webcam photo with each screenshot, only if you switch it on",
		"No keyboard or mouse activity is counted",
		"The name of the app you are using and its window title, every few seconds",
		"Time recorded where the desktop does not allow screenshots or input counts is not billed",
		"Manual time is allowed",
		"Weeks start Sunday 18:00 UTC",
		"Once a week has closed, the employer has 5 days to dispute its time, with a reason you can answer",
	})

	terms.Screenshots, terms.Webcam, terms.WeeklyLimitHours = 0, WebcamOff, 0
	o3, err := NewOffer(terms, emp, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	got := o3.Consent()
	if got[1] != "No weekly limit" || got[2] != "No screenshots" || got[3] != "No webcam" {
		t.Errorf("no limit, no screenshots: %q", got[:4])
	}
}

func checkLines(t *testing.T, name string, got, want []string) {
	t.Helper()
	if len(got) != len(want) {
		t.Fatalf("%s: %d lines %q, want %d", name, len(got), got, len(want))
	}
	for i := range want {
		if got[i] != want[i] {
			t.Errorf("%s line %d = %q, want %q", name, i, got[i], want[i])
		}
	}
}

// TestSessionConsent: a session that cannot record what the terms ask for
// is said before anything is recorded, with the billing and the way out;
// one that loses only what the terms do not ask for says nothing.
func TestSessionConsent(t *testing.T) {
	terms := testTerms()
	got := terms.SessionConsent("Wayland", ledger.LimitNoScreenshots|ledger.LimitNoInputCounts|ledger.LimitNoApps)
	want := []string{
		"In this Wayland session screenshots cannot be taken: time is recorded without them and marked so in the log",
		"In this Wayland session key presses and clicks in native Wayland windows cannot be counted: those minutes may show as idle",
		"In this Wayland session the app in front is not always visible: that time shows as \"unknown\"",
		"Such time is billed but shown apart on the timesheet. To record everything, log in to an X11 session, or allow Workdiary the desktop's screenshot permission when it asks",
	}
	checkLines(t, "wayland", got, want)
	terms.Screenshots, terms.ActivityCounting = 0, false
	if got := terms.SessionConsent("Wayland", ledger.LimitNoScreenshots|ledger.LimitNoInputCounts); got != nil {
		t.Errorf("nothing asked is lost, yet %q", got)
	}
	if got := testTerms().SessionConsent("X11", 0); got != nil {
		t.Errorf("a session that records everything: %q", got)
	}
}
