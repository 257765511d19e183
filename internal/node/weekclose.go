package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/syncstore"
	"github.com/workdiary/workdiary/internal/timesheet"
)

// entryRules are the contract's entry rules with the weeks both parties
// have closed (docs/format.md §5.3), so time for a closed week is refused
// here as the other side refuses it.
func (n *Node) entryRules(c *contract.Contract) (contract.EntryRules, error) {
	return syncstore.EntryRules(n.store, c)
}

// closingWeeks lists the weeks of c still open for approvals (their
// deadline ahead of now) that hold recorded, unapproved segments.
func (n *Node) closingWeeks(c *contract.Contract, now time.Time) ([]ClosingWeek, error) {
	r := c.EntryRules()
	if r.CloseAfter <= 0 {
		return nil, nil
	}
	from := r.Weeks.Prev(r.Weeks.Begin(now.Add(-r.CloseAfter)))
	segs, err := diarydb.New(n.store).Range(c.ID().String(), from, now)
	if err != nil {
		return nil, err
	}
	var out []ClosingWeek
	for _, s := range segs {
		week := r.Weeks.Begin(s.Start)
		deadline := r.Deadline(week)
		if s.State != diary.Recorded || !deadline.After(now) {
			continue
		}
		if len(out) == 0 || !out[len(out)-1].Deadline.Equal(deadline) {
			out = append(out, ClosingWeek{Week: timesheet.WeekOf(week, r.Weeks).String(), Deadline: deadline})
		}
		out[len(out)-1].Unapproved++
	}
	return out, nil
}
