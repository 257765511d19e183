package node_test

import (
	"bytes"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/node"
)

// Two parties who only swap files close a week: the contractor's log file
// carries its closes, the employer's import cosigns them, and its reply
// carries them back with the receipt and the employer's pause and
// dispute, which the contractor's import binds into its log; the next log
// file brings those to the employer. The closed week's timesheet is the
// same bytes on every export.
func TestWeekCloseByFile(t *testing.T) {
	clk := clocktest.New(monday.Add(3 * time.Hour))
	emp := openNode(t, clk, "Erin")
	offer, err := emp.OfferContract(node.OfferParams{Title: "By hand", Rate: "40.00", Currency: "EUR", Screenshots: 1, Webcam: true, ManualTime: true})
	if err != nil {
		t.Fatal(err)
	}
	con := openNode(t, clk, "Ada")
	acc, err := con.AcceptContract(t.Context(), node.AcceptParams{Code: offer.Invite, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	cid := acc.Contract.ID
	dir := t.TempDir()
	n := 0
	carry := func(from, to *node.Node, c string) node.LogFileResult {
		t.Helper()
		n++
		file := filepath.Join(dir, "file"+string(rune('a'+n)))
		if _, err := from.ExportLogFile(node.LogFileParams{Contract: c, File: file}); err != nil {
			t.Fatalf("export by %s: %v", from.Home, err)
		}
		res, err := to.ImportLogFile(node.LogFileParams{File: file})
		if err != nil {
			t.Fatalf("import by %s: %v", to.Home, err)
		}
		return res
	}
	for i := range 3 {
		addSegment(t, con, cid, monday.Add(time.Duration(i)*diary.SegmentLength), uint8(60*i))
	}
	if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatal(err)
	}
	if res := carry(con, emp, cid); res.Entries != 3 || res.Closes != 0 {
		t.Fatalf("the first log file: %+v; want 3 entries, nothing to close", res)
	}
	clk.Advance(monday.AddDate(0, 0, 8).Sub(clk.Now())) // Tuesday 09:00 of the next week: W48's deadline passed
	res := carry(con, emp, cid)
	if res.Kind != "log" || res.Closes != 2 || res.ClosesLeft != 0 {
		t.Fatalf("the log file after the deadline: %+v; want W47 and W48 cosigned", res)
	}
	if _, err := emp.DisputeTime(node.DisputeParams{Contract: cid, From: monday, To: monday.Add(diary.SegmentLength), Reason: "not our project"}); err != nil {
		t.Fatal(err)
	}
	if _, err := emp.PauseContract(node.HoldParams{Contract: cid, Reason: "budget review"}); err != nil {
		t.Fatal(err)
	}
	res = carry(emp, con, cid)
	if res.Kind != "reply" || res.Closes != 2 || res.Changes["dispute"] != 1 || res.Changes["pause"] != 1 {
		t.Fatalf("the reply: %+v; want 2 weeks closed, a dispute and a pause bound", res)
	}
	want := []node.ClosedWeek{{Week: "2026-W47", Size: 3}, {Week: "2026-W48", Size: 3, Entries: 3}}
	if st, err := con.LogStatus(cid); err != nil || !slices.Equal(st.Closed, want) || st.ReceiptSize != 3 {
		t.Fatalf("the contractor's log after the reply: %+v %v; want %+v and a receipt", st, err, want)
	}
	if res := carry(emp, con, cid); res.Closes != 0 || res.Changes != nil {
		t.Fatalf("the same reply again: %+v; want nothing new", res)
	}
	res = carry(con, emp, cid)
	if res.Entries != 5 || res.Changes["dispute"] != 1 || res.Changes["pause"] != 1 {
		t.Fatalf("the log file that binds the employer's records: %+v; want 5 entries, the dispute and the pause", res)
	}
	sheet := func() []byte {
		r, err := emp.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: "2026-W48", Out: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(r.Files.Zip)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if a, b := sheet(), sheet(); !bytes.Equal(a, b) {
		t.Fatal("the closed week's timesheet differs between two exports")
	}
}
