package node

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

// The week's amount is its minutes at the rate, but never more than the
// weekly limit pays: what an employer can expect before the timesheet.
func TestWeekAmountStopsAtTheLimit(t *testing.T) {
	now := time.Date(2026, 12, 2, 10, 0, 0, 0, time.UTC)
	c := &contract.Contract{Offer: &contract.Offer{Terms: contract.Terms{RateMinor: 3500, Currency: "USD", WeeklyLimitHours: 2}}}
	for _, tc := range []struct {
		minutes int
		want    string
	}{{0, "0.00"}, {50, "29.16"}, {120, "70.00"}, {600, "70.00"}} {
		if got := weekAmount(c, tc.minutes, now); got != tc.want {
			t.Errorf("%d minutes: %s, want %s", tc.minutes, got, tc.want)
		}
	}
	c.Offer.WeeklyLimitHours = 0 // no limit
	if got := weekAmount(c, 600, now); got != "350.00" {
		t.Errorf("600 minutes without a limit: %s, want 350.00", got)
	}
}
