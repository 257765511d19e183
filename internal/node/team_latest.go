package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// latestLookback is how far back the team view looks for a contractor's
// latest received segment: a day, so the read stays small.
const latestLookback = 24 * time.Hour

// latestWork is the newest live segment received from c's contractor that
// starts in the last day: when it started and its memo; zero when none.
func (n *Node) latestWork(c *contract.Contract, now time.Time) (time.Time, string, error) {
	if c.Acceptance == nil {
		return time.Time{}, "", nil
	}
	logID := ledger.LogID([32]byte(c.ID()), c.Acceptance.Contractor.PublicKey)
	var entries [][]byte
	err := n.store.View(func(x *store.Txn) error {
		var err error
		entries, err = logdb.LiveEntries(x, logID, now.Add(-latestLookback).Unix(), now.Add(diary.SegmentLength).Unix())
		return err
	})
	if err != nil {
		return time.Time{}, "", err
	}
	var start int64
	var memo string
	for _, b := range entries {
		e, err := ledger.ReadOwnEntry(b)
		if err != nil {
			return time.Time{}, "", err
		}
		if e.Start >= start {
			start, memo = e.Start, e.Memo
		}
	}
	if start == 0 {
		return time.Time{}, "", nil
	}
	return time.Unix(start, 0).UTC(), memo, nil
}

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
