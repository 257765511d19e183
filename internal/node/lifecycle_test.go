package node_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/node"
)

// TestLifecycleOverSync carries every change of a running contract between
// two real nodes on loopback: the employer's amendment, pause and dispute
// wait until a sync hands them to the contractor's node, which binds them
// into its log; the contractor's resumption, answer and end are bound at
// once; both sides then show the same contract, and the week's timesheet
// shows the disputed time apart.
func TestLifecycleOverSync(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	emp, con, cid := pairOnLoopback(t, ctx, clk, parserOffer)
	defer closeNodes(t, con, emp)
	sync := func() {
		t.Helper()
		res, err := con.Sync(ctx, node.SyncParams{Contract: cid}, nil)
		if err != nil || len(res) != 1 || res[0].Error != "" {
			t.Fatalf("sync: %+v %v", res, err)
		}
	}
	for i := range 3 {
		addSegment(t, con, cid, monday.Add(time.Duration(i)*diary.SegmentLength), uint8(40*i))
	}
	if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatal(err)
	}
	sync()

	// The employer's amendment waits for the contractor's node.
	ten := 10
	d, err := emp.AmendContract(node.AmendParams{Contract: cid, Rate: "50.00", WeeklyLimitHours: &ten})
	if err != nil || len(d.Changes) != 1 || !d.Changes[0].Pending || d.Rate != "35.00" {
		t.Fatalf("amend: %+v %v; want one pending change, this week still at 35.00", d.Changes, err)
	}
	if _, err := emp.EndContract(node.EndParams{Contract: cid, At: monday.AddDate(0, 0, -14)}); !errors.Is(err, contract.ErrWrongTime) {
		t.Fatalf("an end reaching into a closed week: %v, want ErrWrongTime", err)
	}
	if _, err := emp.PauseContract(node.HoldParams{Contract: cid, Reason: "Holiday"}); err != nil {
		t.Fatal(err)
	}
	sync()
	for _, n := range []*node.Node{emp, con} {
		d, err := n.ShowContract(node.ShowParams{Contract: cid})
		if err != nil || len(d.Changes) != 2 || d.Changes[0].Pending || d.Changes[1].Pending || d.State != "paused" {
			t.Fatalf("%s after the sync: %+v (%s) %v; want the pause and the amendment bound, paused", n.Home, d.Changes, d.State, err)
		}
	}
	// Paused: the contractor's node signs no time for it.
	clk.Advance(time.Hour)
	late := addSegment(t, con, cid, clk.Now().Add(-30*time.Minute).Truncate(diary.SegmentLength), 9)
	st, err := con.Approve(node.ApproveParams{Contract: cid, IDs: []string{late.ID()}})
	if err != nil || len(st.NotApproved) != 1 || !strings.Contains(st.NotApproved[0].Reason, "paused") {
		t.Fatalf("approve while paused: %+v %v; want it held back because the contract is paused", st, err)
	}
	if _, err := con.ResumeContract(node.HoldParams{Contract: cid}); err != nil {
		t.Fatal(err)
	}
	sync()
	if d, _ := emp.ShowContract(node.ShowParams{Contract: cid}); d.PausedSince != nil || len(d.Changes) != 3 {
		t.Fatalf("employer after the resumption: %+v", d)
	}

	// Once the week has closed, the employer disputes two segments.
	closes, _ := mustOffer(t, emp, cid).ReviewWindow(mustOffer(t, emp, cid).WeekStart.Begin(monday))
	if _, err := emp.DisputeTime(node.DisputeParams{Contract: cid, From: monday, To: monday.Add(20 * time.Minute), Reason: "Not this project"}); !errors.Is(err, contract.ErrWrongTime) {
		t.Fatalf("a dispute before the week closed: %v, want ErrWrongTime", err)
	}
	clk.Advance(closes.Sub(clk.Now()) + time.Hour)
	if _, err := emp.DisputeTime(node.DisputeParams{Contract: cid, From: monday, To: monday.Add(20 * time.Minute), Reason: "Not this project"}); err != nil {
		t.Fatal(err)
	}
	sync()
	cd, err := con.ShowContract(node.ShowParams{Contract: cid})
	if err != nil || len(cd.Disputes) != 1 || cd.Disputes[0].Pending || len(cd.Disputes[0].Segments) != 2 {
		t.Fatalf("the contractor's view of the dispute: %+v %v", cd.Disputes, err)
	}
	for name, view := range map[string]func() ([]diary.View, error){
		"the contractor's diary": func() ([]diary.View, error) {
			return con.Diary(node.DiaryParams{Contract: cid, From: monday, To: monday.Add(time.Hour)})
		},
		"the employer's team diary": func() ([]diary.View, error) { return emp.ReceivedDiary(cid, monday, monday.Add(time.Hour)) },
	} {
		segs, err := view()
		if err != nil || len(segs) != 3 || segs[0].Disputed != "Not this project" || segs[2].Disputed != "" {
			t.Fatalf("%s: %d segments, %v; want the first two disputed, the third not", name, len(segs), err)
		}
	}
	if _, err := con.AnswerDispute(node.AnswerParams{Contract: cid, Dispute: cd.Disputes[0].ID[:8], Text: "It was the release"}); err != nil {
		t.Fatal(err)
	}
	if _, err := con.EndContract(node.EndParams{Contract: cid, Reason: "Done"}); err != nil {
		t.Fatal(err)
	}
	// The contractor's side has ended; a round over every contract (as the
	// sync loop runs) still delivers the end.
	if res, err := con.Sync(ctx, node.SyncParams{}, nil); err != nil || len(res) != 1 || res[0].Error != "" {
		t.Fatalf("sync of every contract after the end: %+v %v; want the ended contract delivered", res, err)
	}
	if res, err := con.Sync(ctx, node.SyncParams{}, nil); err != nil || len(res) != 0 {
		t.Errorf("a second round over every contract: %+v %v; want none once the employer holds the end", res, err)
	}
	ed, err := emp.ShowContract(node.ShowParams{Contract: cid})
	if err != nil || ed.State != "ended" || len(ed.Disputes) != 1 || len(ed.Disputes[0].Answers) != 1 {
		t.Fatalf("the employer at the end: %+v %v", ed, err)
	}
	res, err := emp.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: "2026-W48", Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(res.Summary, "disputed, not billed: 0:20") || !strings.Contains(res.Summary, "billable 0:10") {
		t.Errorf("the week's timesheet:\n%s\nwant 20 min disputed apart from 10 billable", res.Summary)
	}
}

func mustOffer(t *testing.T, n *node.Node, cid string) *contract.Offer {
	t.Helper()
	c, err := n.Contracts().Resolve(cid)
	if err != nil {
		t.Fatal(err)
	}
	return c.Offer
}

// An end the employer backdates into the open week, before time the
// contractor has approved but not yet synced: the round binds the end
// after that time, the employer takes the time (with its screenshots)
// under the rules before the end, and the timesheet shows it outside the
// contract rather than losing it.
func TestEndBehindUnsyncedTime(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	emp, con, cid := pairOnLoopback(t, ctx, clk, parserOffer)
	defer closeNodes(t, con, emp)
	addSegment(t, con, cid, monday.Add(time.Hour), 10)
	if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatal(err)
	}
	if _, err := emp.EndContract(node.EndParams{Contract: cid, At: monday.Add(30 * time.Minute), Reason: "Budget"}); err != nil {
		t.Fatal(err)
	}
	res, err := con.Sync(ctx, node.SyncParams{Contract: cid}, nil)
	if err != nil || len(res) != 1 || res[0].Error != "" || res[0].Seq != 2 {
		t.Fatalf("sync: %+v %v; want the segment and the end taken", res, err)
	}
	ts, err := emp.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: "2026-W48", Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(ts.Summary, "billable 0:00") || !strings.Contains(ts.Summary, "tracked 0:10") ||
		!strings.Contains(ts.Summary, "an end bound into the log") {
		t.Errorf("the week's timesheet:\n%s\nwant 10 min tracked, none billable, the end shown", ts.Summary)
	}
}
