package timesheet

import (
	"bytes"
	"encoding/csv"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
)

// csvTable reads ts's CSV back: the header and the rows as column → cell.
func csvTable(t *testing.T, ts Timesheet) ([]string, []map[string]string) {
	t.Helper()
	b, err := CSV(ts)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var rows []map[string]string
	for _, r := range recs[1:] {
		m := map[string]string{}
		for i, h := range recs[0] {
			m[h] = r[i]
		}
		rows = append(rows, m)
	}
	return recs[0], rows
}

// The columns a spreadsheet was built on stay where they were; new ones
// come after them.
func TestCSVColumnsKeepTheirOrder(t *testing.T) {
	head, _ := csvTable(t, newWorld(t, testTerms()).build("2026-W48"))
	old := []string{"date", "start", "end", "minutes", "activity", "memo", "kind", "billable", "unverified"}
	if !slices.Equal(head[:len(old)], old) || !slices.Equal(head[len(old):], []string{"corrects", "disputed", "dispute", "answer"}) {
		t.Errorf("CSV header %q", head)
	}
}

// A disputed segment's row says how much of it is disputed, why, and the
// contractor's answer; it is not billable, so the billable and disputed
// columns add up to the totals apart, as the PDF and verify show them.
func TestCSVDisputedColumns(t *testing.T) {
	w := newWorld(t, testTerms())
	w.auto(at(0, 9, 0), 10, "Monday")
	disputed := w.auto(at(0, 9, 10), 10, "Monday, disputed")
	closes, _ := w.offer.ReviewWindow(monday)
	d, err := contract.NewDispute(w.offer, w.emp, []time.Time{time.Unix(disputed.Entry.Start, 0)}, "=Not this project", closes.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	w.bind(d.Signed(), closes.Add(time.Hour))
	for i, text := range []string{"It was the release", "See the release notes"} {
		ans, err := contract.NewAnswer(d, w.con, text, closes.Add(time.Duration(2+i)*time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		w.bind(ans.Signed(), closes.Add(time.Duration(2+i)*time.Hour))
	}
	ts := w.build("2026-W48")
	_, rows := csvTable(t, ts)
	if len(rows) != 2 {
		t.Fatalf("%d rows, want 2", len(rows))
	}
	if r := rows[0]; r["disputed"] != "" || r["dispute"] != "" || r["answer"] != "" || r["billable"] != "yes" {
		t.Errorf("undisputed row %v", r)
	}
	r := rows[1]
	if r["disputed"] != "10" || r["billable"] != "no" || r["dispute"] != "'=Not this project" ||
		r["answer"] != "It was the release / See the release notes" {
		t.Errorf("disputed row %v", r)
	}
	billable, disputedMin := 0, 0
	for _, r := range rows {
		n, _ := strconv.Atoi(r["minutes"])
		switch b := r["billable"]; b {
		case "yes":
			billable += n
		case "no":
		default:
			p, _ := strconv.Atoi(b[len("partial-"):])
			billable += p
		}
		dm, _ := strconv.Atoi(r["disputed"])
		disputedMin += dm
	}
	if billable != ts.Totals.BillableMinutes || disputedMin != ts.Totals.DisputedMinutes {
		t.Errorf("CSV billable %d, disputed %d; totals %d, %d", billable, disputedMin, ts.Totals.BillableMinutes, ts.Totals.DisputedMinutes)
	}
}

// A correction's row names the closed week it makes up for, in the
// timesheet of its own week; other rows leave the column empty.
func TestCSVCorrectsColumn(t *testing.T) {
	w, _ := closedWorld(t)
	fix := ledger.Entry{Start: at(8, 11, 0).Unix(), Kind: ledger.KindAuto, Memo: "the migration left over from last week",
		ApprovedAt: at(8, 12, 0).Unix(), Corrects: monday.Unix()}
	for i := range uint8(10) {
		fix.Minutes = append(fix.Minutes, ledger.Minute{Index: i, Keys: 10, Moved: true})
	}
	w.append(fix)
	_, rows := csvTable(t, w.build("2026-W49"))
	var got []string
	for _, r := range rows {
		got = append(got, r["kind"]+" "+r["corrects"])
	}
	if want := []string{"auto ", "auto ", "auto 2026-W48"}; !slices.Equal(got, want) {
		t.Errorf("kind and corrects of the rows %q, want %q", got, want)
	}
	if _, rows := csvTable(t, w.build("2026-W48")); slices.ContainsFunc(rows, func(r map[string]string) bool { return r["corrects"] != "" }) {
		t.Errorf("the corrected week's CSV has a correction: %v", rows)
	}
}
