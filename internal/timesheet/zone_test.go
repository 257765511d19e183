package timesheet

import (
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

func zonedTerms(zone string) contract.Terms {
	t := testTerms()
	t.WeekZone = zone
	return t
}

// A contract whose weeks are counted in Europe/Berlin: its week 2026-W48
// begins at local Monday 00:00 (Sunday 23:00 UTC), its days are Berlin
// dates, and its bundle verifies, open and closed, saying the zone.
func TestBerlinWeekBundle(t *testing.T) {
	w := newWorld(t, zonedTerms("Europe/Berlin"))
	w.auto(at(-1, 22, 50), 10, "Sunday night, the week before") // 23:50 Berlin, W47
	w.auto(at(-1, 23, 0), 10, "Monday 00:00 Berlin")            // first segment of W48
	w.auto(at(6, 22, 50), 10, "Sunday 23:50 Berlin")            // last segment of W48
	w.auto(at(6, 23, 0), 10, "Monday 00:00 Berlin, the week after")
	ts := w.build("2026-W48")
	if ts.WeekStart != "2026-11-22T23:00:00Z" || ts.WeekEnd != "2026-11-29T23:00:00Z" || ts.WeekZone != "Europe/Berlin" {
		t.Errorf("week %s to %s in %q, want the Berlin week", ts.WeekStart, ts.WeekEnd, ts.WeekZone)
	}
	if ts.Totals.TrackedMinutes != 20 || len(ts.Entries) != 2 || ts.Entries[0] != 2 || ts.Entries[1] != 3 {
		t.Errorf("totals %+v entries %v, want seqs 2 and 3 (20 min)", ts.Totals, ts.Entries)
	}
	if len(ts.Days) != 7 || ts.Days[0].Date != "2026-11-23" || ts.Days[0].TrackedMinutes != 10 ||
		ts.Days[6].Date != "2026-11-29" || ts.Days[6].TrackedMinutes != 10 {
		t.Errorf("days %+v, want Berlin dates 23 to 29 November with 10 min on the first and last", ts.Days)
	}
	checkDaysAddUp(t, ts)
	csv, err := CSV(ts)
	if err != nil {
		t.Fatal(err)
	}
	if lines := strings.Split(string(csv), "\r\n"); len(lines) < 3 || !strings.HasPrefix(lines[1], "2026-11-23,2026-11-22T23:00:00Z,") ||
		!strings.HasPrefix(lines[2], "2026-11-29,2026-11-29T22:50:00Z,") {
		t.Errorf("CSV rows %q; want Berlin dates beside the UTC times", lines)
	}
	_, zipBytes := w.pack("2026-W48", w.con)
	sum, err := VerifyBundleBytes(zipBytes)
	if err != nil {
		t.Fatalf("the Berlin week's bundle: %v", err)
	}
	if !strings.Contains(sum.String(), "week 2026-W48, starting Monday 00:00 Europe/Berlin (2026-11-22T23:00:00Z to 2026-11-29T23:00:00Z)") {
		t.Errorf("summary does not name the week zone:\n%s", sum)
	}

	closeNote := w.closeWeek("2026-W48")
	w.auto(at(7, 9, 0), 10, "after the close")
	closed, closedZip := w.packClosed("2026-W48", closeNote, w.emp)
	sum, err = VerifyBundleBytes(closedZip)
	if err != nil {
		t.Fatalf("the closed Berlin week: %v", err)
	}
	if sum.Close == nil || sum.Close.Week != closed.weekStartUnix(t) || closed.Totals != ts.Totals {
		t.Errorf("closed week %+v totals %+v, want the close of the Berlin week with totals %+v", sum.Close, closed.Totals, ts.Totals)
	}
}

func (ts Timesheet) weekStartUnix(t *testing.T) int64 {
	start, err := time.Parse(time.RFC3339, ts.WeekStart)
	if err != nil {
		t.Fatal(err)
	}
	return start.Unix()
}

// In New York the week that ends daylight saving time (Sunday 1 November
// 2026) lasts 169 hours: Sunday 23:50 local, 04:50 UTC on Monday, is
// still in it.
func TestNewYorkDSTWeek(t *testing.T) {
	emp, con := seedIdentity(t, 0x21, "Acme Ltd"), seedIdentity(t, 0x01, "Dana Contractor")
	offer, err := contract.NewOffer(zonedTerms("America/New_York"), emp, nil, time.Date(2026, 10, 20, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	acc, err := contract.Accept(offer, con, nil, time.Date(2026, 10, 21, 12, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	w := worldFrom(t, emp, con, offer.Signed(), acc.Signed())
	w.auto(time.Date(2026, 10, 26, 4, 0, 0, 0, time.UTC), 10, "Monday 00:00 EDT")
	w.auto(time.Date(2026, 11, 2, 4, 50, 0, 0, time.UTC), 10, "Sunday 23:50 EST")
	w.auto(time.Date(2026, 11, 2, 5, 0, 0, 0, time.UTC), 10, "Monday 00:00 EST, the week after")
	ts := w.build("2026-W44")
	if ts.WeekStart != "2026-10-26T04:00:00Z" || ts.WeekEnd != "2026-11-02T05:00:00Z" || ts.Totals.TrackedMinutes != 20 {
		t.Errorf("week %s to %s, %d min; want 04:00Z to 05:00Z a week on with 20 min", ts.WeekStart, ts.WeekEnd, ts.Totals.TrackedMinutes)
	}
	if last := ts.Days[len(ts.Days)-1]; len(ts.Days) != 7 || last.Date != "2026-11-01" || last.TrackedMinutes != 10 {
		t.Errorf("days %+v, want 7 New York dates ending Sunday 1 November with 10 min", ts.Days)
	}
	_, zipBytes := w.pack("2026-W44", w.con)
	if _, err := VerifyBundleBytes(zipBytes); err != nil {
		t.Fatalf("the DST week's bundle: %v", err)
	}
}
