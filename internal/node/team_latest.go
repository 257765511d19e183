package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

// latestLookback is how far back the team view looks for a contractor's
// latest received segment: a day, so the read stays small.
const latestLookback = 24 * time.Hour

// weekAmount is what the week's received minutes come to at the rate in
// force this week, capped at that week's limit: an estimate until the
// timesheet applies every term, in the contract's currency ("443.33").
func weekAmount(c *contract.Contract, minutes int, now time.Time) string {
	rate, hours := c.TermsFor(c.Offer.Weeks().Begin(now))
	if limit := hours * 60; limit > 0 && minutes > limit {
		minutes = limit
	}
	return contract.FormatRate(rate*int64(minutes)/60, c.Offer.Currency)
}
