package node_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/timesheet"
)

// A contract whose weeks start at Monday 00:00 in Europe/Berlin (Sunday
// 23:00 UTC in winter): its week 2026-W48 holds the segment at Sunday
// 23:00 UTC and not the one at the next Sunday 23:10 UTC, closes a day
// after the Berlin week ends (an hour before the UTC week would), and
// its timesheet exports from the employer and verifies offline.
func TestWeekCloseInZone(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	berlin := node.OfferParams{Title: "Berlin weeks", Rate: "60.00", Currency: "EUR", Screenshots: 1, Webcam: true, WeekZone: "Europe/Berlin"}
	// What the contractor consents to names the zone (asked of another
	// employer, so the pair's team holds only their contract).
	if offer, err := openNode(t, clk, "Eve").OfferContract(berlin); err != nil || !slices.Contains(offer.Consent, "Weeks start Monday 00:00 Europe/Berlin") {
		t.Fatalf("consent %q does not name the week zone (%v)", offer.Consent, err)
	}
	emp, con, cid := pairOnLoopback(t, ctx, clk, berlin)
	defer closeNodes(t, con, emp)
	if d, err := con.ShowContract(node.ShowParams{Contract: cid}); err != nil || d.WeekStart != "Monday 00:00 Europe/Berlin" || d.WeekZone != "Europe/Berlin" {
		t.Fatalf("contract show: %q %q %v", d.WeekStart, d.WeekZone, err)
	}
	berlinMonday := time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC)
	addSegment(t, con, cid, berlinMonday, 10)                                      // Monday 00:00 in Berlin: W48
	addSegment(t, con, cid, monday.Add(time.Hour), 20)                             // Monday 10:00 UTC
	addSegment(t, con, cid, berlinMonday.AddDate(0, 0, 7).Add(10*time.Minute), 30) // Monday 00:10 in Berlin: W49
	sync := func() {
		t.Helper()
		if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
			t.Fatal(err)
		}
		if res, err := con.Sync(ctx, node.SyncParams{}, nil); err != nil || res[0].Error != "" {
			t.Fatalf("sync: %+v %v", res, err)
		}
	}
	clk.Advance(berlinMonday.AddDate(0, 0, 7).Add(12 * time.Hour).Sub(clk.Now())) // Monday 11:00 Berlin
	addSegment(t, con, cid, monday.Add(2*time.Hour), 40)
	st, err := con.Approve(node.ApproveParams{Contract: cid, Through: monday})
	if err != nil || len(st.Closing) == 0 || st.Closing[0].Week != "2026-W48" ||
		!st.Closing[0].Deadline.Equal(time.Date(2026, 11, 30, 23, 0, 0, 0, time.UTC)) {
		t.Fatalf("approve before the deadline: %+v %v; want W48 closing at 2026-11-30 23:00 UTC (Tuesday 00:00 Berlin)", st.Closing, err)
	}
	sync()
	// The Team's "this week" is the Berlin week: the segment at Sunday
	// 23:10 UTC is in it (in a UTC week it would be last week's).
	if rows, err := emp.Team(); err != nil || len(rows) != 1 || rows[0].WeekMinutes != 10 {
		t.Errorf("team: %+v %v; want 10 minutes this Berlin week", rows, err)
	}
	// 23:30 UTC: past the Berlin deadline, before the UTC one.
	clk.Advance(time.Date(2026, 11, 30, 23, 30, 0, 0, time.UTC).Sub(clk.Now()))
	sync()
	res, err := emp.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: "2026-W48", Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"week 2026-W48, starting Monday 00:00 Europe/Berlin (2026-11-22T23:00:00Z to 2026-11-29T23:00:00Z)",
		"tracked 0:30", "week closed by both parties"} {
		if !strings.Contains(res.Summary, want) {
			t.Errorf("the employer's export says:\n%s\nwant %q", res.Summary, want)
		}
	}
	if res.Sheet.WeekZone != "Europe/Berlin" || res.Sheet.Days[0].Date != "2026-11-23" || res.Sheet.Days[0].TrackedMinutes != 30 {
		t.Errorf("timesheet zone %q days %+v; want Berlin dates, 30 min on Monday 23 November", res.Sheet.WeekZone, res.Sheet.Days)
	}
	sum, err := timesheet.VerifyBundle(res.Files.Zip)
	if err != nil || sum.Close == nil || sum.Timesheet.Totals.TrackedMinutes != 30 {
		t.Fatalf("verify the closed Berlin week: %+v %v", sum.Close, err)
	}
	weeks, err := con.ContractWeeks(node.WeeksParams{Contract: cid})
	i := slices.IndexFunc(weeks, func(w node.WeekView) bool { return w.Week == "2026-W48" })
	if err != nil || i < 0 || !weeks[i].Start.Equal(berlinMonday) || !weeks[i].End.Equal(berlinMonday.AddDate(0, 0, 7)) || !weeks[i].Cosigned || weeks[i].Zone != "Europe/Berlin" {
		t.Errorf("the contract's weeks: %+v %v; want W48 from Berlin's Monday, closed by both", weeks, err)
	}
	st2, err := con.LogStatus(cid)
	if err != nil || !slices.ContainsFunc(st2.Closed, func(w node.ClosedWeek) bool { return w.Week == "2026-W48" && w.Entries == 3 }) {
		t.Errorf("the contractor's log status: %+v %v; want W48 closed with its 3 entries", st2.Closed, err)
	}
}
