package timesheet

import (
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

// TestTermsInForce: a week is billed at the rate and limit in force in it:
// the offer's before an amendment's week, the amendment's from then on.
func TestTermsInForce(t *testing.T) {
	w := newWorld(t, testTerms())
	am, err := contract.NewAmendment(w.offer, w.emp, 1, contract.Change{RateMinor: 6000, WeeklyLimitHours: 1, From: monday}, acceptedAt)
	if err != nil {
		t.Fatal(err)
	}
	w.bind(am.Signed(), acceptedAt.Add(time.Hour))
	w.autoRun(at(-3, 9, 0), 9, "the week before") // 90 min in W47, under the offer's terms
	w.autoRun(at(0, 9, 0), 9, "the week of the amendment")
	before, after := w.build("2026-W47"), w.build("2026-W48")
	if before.RateMinor != 3500 || before.WeeklyLimitHours != 40 || before.Totals.BillableMinutes != 90 {
		t.Errorf("W47: rate %d, limit %d h, billable %d; want the offer's 3500, 40 h, 90", before.RateMinor,
			before.WeeklyLimitHours, before.Totals.BillableMinutes)
	}
	if after.RateMinor != 6000 || after.WeeklyLimitHours != 1 || after.Totals.BillableMinutes != 60 ||
		after.Totals.OverLimitMinutes != 30 || after.Totals.AmountMinor != 6000 {
		t.Errorf("W48: %+v at %d, limit %d h; want 60 billable at 6000, 30 over the amended 1 h limit",
			after.Totals, after.RateMinor, after.WeeklyLimitHours)
	}
}

// TestPauseAndDispute: time in a pause is outside the contract; disputed
// time is shown apart from billable time, with the dispute and its answer.
func TestPauseAndDispute(t *testing.T) {
	w := newWorld(t, testTerms())
	w.auto(at(0, 9, 0), 10, "Monday")
	disputed := w.auto(at(0, 9, 10), 10, "Monday, disputed")
	pause, err := contract.NewHold(w.offer.ID(), w.emp, false, "Holiday", at(1, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	w.bind(pause.Signed(), at(1, 0, 0))
	w.auto(at(0, 23, 50), 10, "late Monday, before the pause")
	resume, err := contract.NewHold(w.offer.ID(), w.con, true, "", at(3, 0, 0))
	if err != nil {
		t.Fatal(err)
	}
	w.bind(resume.Signed(), at(3, 0, 0))
	w.auto(at(3, 9, 0), 10, "Thursday")
	closes, _ := w.offer.ReviewWindow(monday)
	d, err := contract.NewDispute(w.offer, w.emp, []time.Time{time.Unix(disputed.Entry.Start, 0)}, "Not this project", closes.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	w.bind(d.Signed(), closes.Add(time.Hour))
	ans, err := contract.NewAnswer(d, w.con, "It was the release", closes.Add(2*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	w.bind(ans.Signed(), closes.Add(2*time.Hour))
	ts := w.build("2026-W48")
	want := Totals{TrackedMinutes: 40, BillableMinutes: 30, DisputedMinutes: 10, AmountMinor: 1750, DisputedAmountMinor: 583}
	got := ts.Totals
	got.Amount, got.DisputedAmount = "", ""
	if got != want {
		t.Errorf("totals = %+v\nwant     %+v", got, want)
	}
	if len(ts.Paused) != 1 || ts.Paused[0].From != rfc3339(at(1, 0, 0)) || ts.Paused[0].Until != rfc3339(at(3, 0, 0)) {
		t.Errorf("paused = %+v", ts.Paused)
	}
	if len(ts.Disputes) != 1 || len(ts.Disputes[0].Answers) != 1 || ts.Disputes[0].Reason != "Not this project" {
		t.Errorf("disputes = %+v", ts.Disputes)
	}
	checkDaysAddUp(t, ts)
	w.endAt(at(4, 12, 0))
	if _, zip := w.pack("2026-W48", w.emp); zip != nil {
		sum, err := VerifyBundleBytes(zip)
		if err != nil || sum.Timesheet.Totals.DisputedMinutes != 10 || sum.Timesheet.ContractEnd != rfc3339(at(4, 12, 0)) {
			t.Errorf("the bundle of the week verifies as %+v, %v", sum.Timesheet.Totals, err)
		}
	}
}

// TestEndNotBound: an end of contract that the log does not bind (the
// employer's backdated end.cose beside an honest log) is refused, and so
// is a log that binds a record signed by someone who is no party.
func TestEndNotBound(t *testing.T) {
	w := newWorld(t, testTerms())
	w.autoRun(at(0, 9, 0), 2, "work")
	end, err := contract.NewEnd(w.offer.ID(), w.emp, "", at(0, 9, 5))
	if err != nil {
		t.Fatal(err)
	}
	in := w.input("2026-W48")
	in.End = end.Signed()
	if _, err := Build(in); !errors.Is(err, ErrTampered) {
		t.Errorf("Build with an end the log does not bind: %v, want ErrTampered", err)
	}
	stranger := seedIdentity(t, 0x41, "Mallory")
	forged, err := contract.NewEnd(w.offer.ID(), stranger, "", at(0, 9, 5))
	if err != nil {
		t.Fatal(err)
	}
	w.bind(forged.Signed(), at(0, 12, 0))
	if _, err := Build(w.input("2026-W48")); !errors.Is(err, ErrBadSignature) {
		t.Errorf("Build of a log binding a stranger's end: %v, want ErrBadSignature", err)
	}
}
