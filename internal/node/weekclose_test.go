package node_test

import (
	"bytes"
	"context"
	"os"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/node"
)

// A week closes over the sync once its deadline has passed: both parties
// hold the cosigned close, the contractor's node refuses more time for
// the week, and the week's timesheet is the same bundle byte for byte
// however often it is exported and however the log grows afterwards.
func TestWeekCloseOverSync(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	emp, con, cid := pairOnLoopback(t, ctx, clk, node.OfferParams{Title: "Weekly", Rate: "60.00", Currency: "USD", Screenshots: 1, Webcam: true, ManualTime: true})
	defer closeNodes(t, con, emp)
	for i := 0; i < 3; i++ {
		addSegment(t, con, cid, monday.Add(time.Duration(i)*diary.SegmentLength), uint8(70*i))
	}
	// Accepted on a Monday: the Sunday before is in the contract's window,
	// but its week, empty, is not listed.
	if weeks, err := con.ContractWeeks(node.WeeksParams{Contract: cid}); err != nil || len(weeks) != 1 || weeks[0].Week != "2026-W48" {
		t.Fatalf("weeks of a contract accepted on a Monday: %+v %v; want only 2026-W48", weeks, err)
	}
	sync := func() {
		t.Helper()
		if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
			t.Fatal(err)
		}
		if res, err := con.Sync(ctx, node.SyncParams{}, nil); err != nil || res[0].Error != "" {
			t.Fatalf("sync: %+v %v", res, err)
		}
	}
	export := func(side *node.Node) (node.TimesheetResult, []byte) {
		t.Helper()
		res, err := side.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: "2026-W48", Out: t.TempDir()})
		if err != nil {
			t.Fatalf("export from %s: %v", side.Home, err)
		}
		zipBytes, err := os.ReadFile(res.Files.Zip)
		if err != nil {
			t.Fatal(err)
		}
		return res, zipBytes
	}
	sync()
	if res, _ := export(emp); !strings.Contains(res.Summary, "the week is not closed") {
		t.Fatalf("before the deadline: %s\nwant the week not closed", res.Summary)
	}
	// Monday after the week: still open for late approvals until Tuesday 00:00.
	clk.Advance(monday.AddDate(0, 0, 7).Sub(clk.Now()))
	addSegment(t, con, cid, monday.Add(5*time.Hour), 20)
	st, err := con.Approve(node.ApproveParams{Contract: cid, Through: monday})
	if err != nil || len(st.Closing) != 1 || st.Closing[0].Week != "2026-W48" || st.Closing[0].Unapproved != 1 ||
		!st.Closing[0].Deadline.Equal(time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("approve before the deadline: %+v %v; want W48 closing 2026-12-01 with 1 segment unapproved", st.Closing, err)
	}
	sync()
	if res, _ := export(emp); !strings.Contains(res.Summary, "the week is not closed") {
		t.Fatalf("before the deadline: %s", res.Summary)
	}
	clk.Advance(monday.AddDate(0, 0, 8).Sub(clk.Now())) // Tuesday 09:00, past the deadline
	sync()
	first, zip1 := export(emp)
	if !strings.Contains(first.Summary, "week closed by both parties at log size 4 (4 entries of the week") {
		t.Fatalf("after the deadline: %s\nwant the week closed at size 4", first.Summary)
	}
	for _, side := range []*node.Node{emp, con} {
		st, err := side.LogStatus(cid)
		// 2026-W47 too: the offer takes time from a day before it was made.
		want := []node.ClosedWeek{{Week: "2026-W47", Size: 4}, {Week: "2026-W48", Size: 4, Entries: 4}}
		if err != nil || !slices.Equal(st.Closed, want) {
			t.Errorf("%s's log status: closed %+v %v; want %+v", side.Home, st.Closed, err, want)
		}
	}
	if _, conZip := export(con); bytes.Contains(conZip, []byte("checkpoint.note")) {
		t.Errorf("the contractor's bundle of the closed week carries a checkpoint, not the close")
	}
	// Late time for the closed week is refused before it is signed.
	late := monday.Add(4 * time.Hour)
	_, err = con.AddManual(node.ManualParams{Contract: cid, From: late, To: late.Add(10 * time.Minute), Memo: "forgot this"})
	if err == nil || !strings.Contains(err.Error(), "closed at entry 4: a correction goes in the current week") {
		t.Fatalf("manual time in the closed week: %v, want it refused as closed", err)
	}
	// A segment of the closed week still recorded is held, and says why.
	addSegment(t, con, cid, monday.Add(6*time.Hour), 30)
	if st, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil || len(st.NotApproved) != 1 || !st.NotApproved[0].WeekClosed {
		t.Fatalf("approving a segment of the closed week: %+v %v; want it held as of a closed week", st.NotApproved, err)
	}
	// The correction goes in the current week and names the closed one.
	fix := monday.AddDate(0, 0, 7).Add(time.Hour)
	if _, err := con.AddManual(node.ManualParams{Contract: cid, From: fix, To: fix.Add(10 * time.Minute), Memo: "forgot this", Corrects: "2026-W48"}); err != nil {
		t.Fatalf("the correction in the current week: %v", err)
	}
	// The log grows in the next week; the closed week's bundle does not move.
	addSegment(t, con, cid, monday.AddDate(0, 0, 8).Add(-time.Hour), 40)
	sync()
	res, err := emp.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: "2026-W49", Out: t.TempDir()})
	if err != nil || !strings.Contains(res.Summary, "correction of closed week 2026-W48: seq 5 at 2026-11-30T10:00:00Z, 0:10") {
		t.Fatalf("the next week's timesheet: %v\n%+v; want it to name the correction", err, res.Summary)
	}
	_, zip2 := export(emp)
	if !bytes.Equal(zip1, zip2) {
		t.Errorf("the closed week's bundle changed between two exports")
	}
	// Both sides list the weeks alike, and see the correction in the diary.
	if _, err := emp.DisputeTime(node.DisputeParams{Contract: cid, From: monday, To: monday.Add(10 * time.Minute), Reason: "Not this project"}); err != nil {
		t.Fatalf("dispute: %v", err)
	}
	sync() // the contractor's node binds it
	for _, side := range []*node.Node{emp, con} {
		checkWeeks(t, side, cid)
		segs, err := side.Diary(node.DiaryParams{Contract: cid, From: fix, To: fix.Add(time.Minute)})
		if err != nil || len(segs) != 1 || segs[0].Corrects != "2026-W48" {
			t.Errorf("%s's diary of the correction: %+v %v; want it to correct 2026-W48", side.Home, segs, err)
		}
	}
	// The dispute and the answer, bound after the close, reach the closed
	// week's timesheet of either side once a receipt covers them, and two
	// exports with nothing new between them are the same bytes.
	weeks, err := con.ContractWeeks(node.WeeksParams{Contract: cid})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := con.AnswerDispute(node.AnswerParams{Contract: cid, Dispute: weeks[1].Disputes[0].ID, Text: "It was the release"}); err != nil {
		t.Fatalf("answer: %v", err)
	}
	sync()
	sync() // the employer's receipt now covers the answer's entry
	for _, side := range []*node.Node{emp, con} {
		res, zipA := export(side)
		for _, want := range []string{"week closed by both parties at log size 4", "disputed, not billed: 0:10",
			"Not this project", "It was the release", "disputes and answers bound after the close: proven up to log size"} {
			if !strings.Contains(res.Summary, want) {
				t.Errorf("%s's closed week after the dispute: %s\nwant it to say %q", side.Home, res.Summary, want)
			}
		}
		csv, err := os.ReadFile(res.Files.CSV)
		if err != nil || !bytes.Contains(csv, []byte(",10,Not this project,")) || !bytes.Contains(csv, []byte("It was the release")) {
			t.Errorf("%s's CSV of the closed week: %s %v; want the disputed segment with reason and answer", side.Home, csv, err)
		}
		if _, zipB := export(side); !bytes.Equal(zipA, zipB) {
			t.Errorf("%s's closed week with its dispute changed between two exports", side.Home)
		}
	}
}

// checkWeeks: after TestWeekCloseOverSync, on Tuesday of W49, W49 is open
// and W48 and W47 closed by both, W48 with the employer's dispute, bound.
func checkWeeks(t *testing.T, side *node.Node, cid string) {
	t.Helper()
	weeks, err := side.ContractWeeks(node.WeeksParams{Contract: cid})
	if err != nil || len(weeks) != 3 {
		t.Fatalf("%s's weeks: %+v %v; want W49, W48 and W47", side.Home, weeks, err)
	}
	w49, w48 := weeks[0], weeks[1]
	if w49.Week != "2026-W49" || w49.State != node.WeekOpen || w49.Cosigned || w49.ReviewUntil != nil ||
		!w49.Deadline.Equal(time.Date(2026, 12, 8, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("%s's W49: %+v; want it open until 2026-12-08", side.Home, w49)
	}
	if w48.Week != "2026-W48" || w48.State != node.WeekClosed || !w48.Cosigned || w48.ClosedSize != 4 || w48.ClosedEntries != 4 ||
		w48.Unapproved != 0 || !w48.ReviewUntil.Equal(time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)) || !w48.Reviewing {
		t.Errorf("%s's W48: %+v; want it closed by both at size 4, disputes until 2026-12-06", side.Home, w48)
	}
	if len(w48.Disputes) != 1 || w48.Disputes[0].Reason != "Not this project" || w48.Disputes[0].Pending {
		t.Errorf("%s's W48 disputes: %+v", side.Home, w48.Disputes)
	}
	if weeks[2].Week != "2026-W47" || !weeks[2].Cosigned {
		t.Errorf("%s's W47: %+v", side.Home, weeks[2])
	}
}
