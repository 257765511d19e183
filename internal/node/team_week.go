package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// weekTotals are a received log's minutes from the start of the week to
// now, and those of today (the employer's local day, which need not lie
// inside the contract's week nor start at a UTC midnight).
type weekTotals struct {
	logdb.Totals
	today int
}

// receivedWeek sums the live minutes of c's received log whose segments
// start in [begin, now + one segment): whole days from the day index
// (seven small records, whatever the log's length: P11), a week that
// starts during a day from that day's entries, and a log from before the
// day index from its entries. Today, from dayStart, is read from its
// entries: at most a day's 144 segments, in whatever zone the day is.
func (n *Node) receivedWeek(c *contract.Contract, begin, dayStart, now time.Time) (weekTotals, error) {
	var w weekTotals
	if c.Acceptance == nil {
		return w, nil
	}
	logID := ledger.LogIDOf(c.ID(), c.Acceptance.Contractor.PublicKey)
	end := now.Add(diary.SegmentLength).Unix()
	whole := logdb.Day(begin.Unix() + 24*60*60 - 1) // the first day that starts inside the week
	err := n.store.View(func(x *store.Txn) error {
		first := whole * 24 * 60 * 60
		var day logdb.Totals
		if err := addEntries(x, logID, dayStart.Unix(), end, &day); err != nil {
			return err
		}
		w.today = day.Minutes
		if err := addEntries(x, logID, begin.Unix(), min(first, end), &w.Totals); err != nil {
			return err
		}
		days, ok, err := logdb.DayTotals(x, logID, whole, logdb.Day(end-1))
		if err != nil {
			return err
		}
		if !ok {
			return addEntries(x, logID, first, end, &w.Totals)
		}
		for _, t := range days {
			w.Minutes += t.Minutes
			w.Active += t.Active
		}
		return nil
	})
	return w, err
}

// addEntries adds the live entries starting in [from, to), read one by one.
func addEntries(x *store.Txn, logID ledger.LogID, from, to int64, w *logdb.Totals) error {
	if from >= to {
		return nil
	}
	entries, err := logdb.LiveEntries(x, logID, from, to)
	if err != nil {
		return err
	}
	for _, b := range entries {
		e, err := ledger.ReadOwnEntry(b)
		if err != nil {
			return err
		}
		t := logdb.TotalsOf(e)
		w.Minutes += t.Minutes
		w.Active += t.Active
	}
	return nil
}
