package timesheet

import (
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
)

// TestUnverifiedTime: time whose session could not take the screenshots or
// input counts the terms ask for is listed apart, and billed as the
// contract's `unverified` term says; limits the terms do not care about
// change nothing.
func TestUnverifiedTime(t *testing.T) {
	limited := func(w *world, start time.Time, l ledger.Limits) {
		e := ledger.Entry{Start: start.Unix(), Kind: ledger.KindAuto, Memo: "on Wayland", ApprovedAt: start.Unix() + 3600, Limits: l}
		for i := range uint8(10) {
			e.Minutes = append(e.Minutes, ledger.Minute{Index: i, Moved: true})
		}
		w.append(e)
	}
	nine := monday.Add(9 * time.Hour)
	for _, tt := range []struct {
		name                         string
		policy                       contract.UnverifiedPolicy
		screenshots                  int
		wantUnverified, wantExcluded int
		wantBillable                 int
		wantPolicy                   string
	}{
		{"separate, the default", contract.UnverifiedSeparate, 1, 10, 0, 20, "separate"},
		{"bill", contract.UnverifiedBill, 1, 10, 0, 20, "bill"},
		{"exclude", contract.UnverifiedExclude, 1, 10, 10, 10, "exclude"},
		{"no screenshots asked", contract.UnverifiedExclude, 0, 0, 0, 20, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			terms := testTerms()
			terms.Unverified, terms.Screenshots = tt.policy, tt.screenshots
			w := newWorld(t, terms)
			w.auto(nine, 10, "on X11")
			limited(w, nine.Add(10*time.Minute), ledger.LimitNoScreenshots)
			ts := w.build("2026-W48")
			got := ts.Totals
			if got.UnverifiedMinutes != tt.wantUnverified || got.UnverifiedExcludedMinutes != tt.wantExcluded ||
				got.BillableMinutes != tt.wantBillable || ts.Unverified != tt.wantPolicy {
				t.Errorf("unverified %d, excluded %d, billable %d, policy %q; want %d, %d, %d, %q",
					got.UnverifiedMinutes, got.UnverifiedExcludedMinutes, got.BillableMinutes, ts.Unverified,
					tt.wantUnverified, tt.wantExcluded, tt.wantBillable, tt.wantPolicy)
			}
			sum := got.BillableMinutes + got.OverLimitMinutes + got.ManualExcludedMinutes + got.OutsideContractMinutes + got.UnverifiedExcludedMinutes
			if sum != got.TrackedMinutes {
				t.Errorf("classes add up to %d of %d tracked minutes", sum, got.TrackedMinutes)
			}
			b, err := ts.Encode()
			if err != nil {
				t.Fatal(err)
			}
			if has := strings.Contains(string(b), "unverified"); has != (tt.wantUnverified > 0) {
				t.Errorf("timesheet.json mentions unverified time: %v, want %v", has, tt.wantUnverified > 0)
			}
			checkUnverifiedColumn(t, ts, tt.wantUnverified)
		})
	}
}

// checkUnverifiedColumn: the CSV's unverified column names what a row's
// session could not record, so a spreadsheet shows unverified time apart too.
func checkUnverifiedColumn(t *testing.T, ts Timesheet, wantMinutes int) {
	t.Helper()
	_, rows := csvTable(t, ts)
	minutes := 0
	for _, r := range rows {
		if r["unverified"] != "" {
			n, _ := strconv.Atoi(r["minutes"])
			minutes += n
		}
	}
	if minutes != wantMinutes {
		t.Errorf("CSV rows marked unverified hold %d minutes, want %d", minutes, wantMinutes)
	}
}
