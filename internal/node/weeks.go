package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/timesheet"
)

// MaxWeeks bounds the weeks ContractWeeks lists: a year of them, newest
// first, is more than anyone reads or corrects.
const MaxWeeks = 53

// Week states, as WeekView.State says them.
const (
	WeekOpen    = "open"    // the week has not ended
	WeekClosing = "closing" // ended, still taking late approvals until the deadline
	WeekClosed  = "closed"  // past its deadline: no new time, corrections only
)

// WeeksParams name the contract whose weeks to list.
type WeeksParams struct {
	Contract string `json:"contract"` // ID or unique prefix
}

// WeekView is one contract week as both parties see it: open, closing
// (its deadline ahead) or closed, and once closed whether both parties
// signed its close, at which log size, until when the employer may
// dispute its time, and its disputes. Field names are part of the stable
// command-line interface.
type WeekView struct {
	Week  string    `json:"week"` // ISO week in the contract's week start, 2026-W48
	Start time.Time `json:"start"`
	End   time.Time `json:"end"`  // exclusive
	Zone  string    `json:"zone"` // the week zone whose dates the week runs over, "UTC" by default
	State string    `json:"state"`
	// Deadline is when the week closes for new entries; nil when the
	// contract's weeks never close (an offer without a close term).
	Deadline *time.Time `json:"deadline,omitempty"`
	// Unapproved counts the week's recorded segments nobody approved yet
	// (the contractor's side; the employer never sees them).
	Unapproved int `json:"unapproved"`
	// Cosigned: both parties signed the week's close, at log size
	// ClosedSize with ClosedEntries entries of the week. A closed week
	// without it waits for the next sync.
	Cosigned      bool   `json:"cosigned"`
	ClosedSize    uint64 `json:"closed_size,omitempty"`
	ClosedEntries uint64 `json:"closed_entries,omitempty"`
	// ReviewUntil ends the employer's review window, in which it may
	// dispute the week's segments; set once the week has closed.
	// Reviewing says the window is open by this node's clock.
	ReviewUntil *time.Time    `json:"review_until,omitempty"`
	Reviewing   bool          `json:"reviewing"`
	Disputes    []DisputeView `json:"disputes"`
}

// ContractWeeks lists the weeks of a contract from the newest (the week
// of now, or of the contract's end) back to its first (firstWeek), at
// most MaxWeeks. An offer not yet accepted has none.
func (n *Node) ContractWeeks(p WeeksParams) ([]WeekView, error) {
	c, err := n.Contracts().Resolve(p.Contract)
	if err != nil {
		return nil, err
	}
	out := []WeekView{}
	if c.Acceptance == nil {
		return out, nil
	}
	now := n.Clock.Now()
	rules := c.EntryRules()
	last := now
	if c.End != nil && c.End.At.Before(last) {
		last = c.End.At
	}
	closes, err := n.keptCloses(c)
	if err != nil {
		return nil, err
	}
	first, err := n.firstWeek(c, rules, closes)
	if err != nil {
		return nil, err
	}
	disputes := detailOf(c, now).Disputes
	for start := rules.Weeks.Begin(last); !start.Before(first) && len(out) < MaxWeeks; start = rules.Weeks.Prev(start) {
		w := WeekView{Week: timesheet.WeekOf(start, rules.Weeks).String(), Start: start, End: rules.Weeks.Next(start), Zone: rules.Weeks.ZoneName(),
			State: WeekOpen, Disputes: []DisputeView{}}
		if deadline := rules.Deadline(start); !deadline.IsZero() {
			w.Deadline = &deadline
			if !now.Before(deadline) {
				w.State = WeekClosed
				from, until := c.Offer.ReviewWindow(start)
				w.ReviewUntil, w.Reviewing = &until, !now.Before(from) && now.Before(until)
			} else if !now.Before(w.End) {
				w.State = WeekClosing
			}
		}
		if wc, ok := closes[start.Unix()]; ok {
			w.State, w.Cosigned, w.ClosedSize, w.ClosedEntries = WeekClosed, true, wc.Size, wc.Count
		}
		for _, d := range disputes {
			if d.Week.Equal(start) {
				w.Disputes = append(w.Disputes, d)
			}
		}
		out = append(out, w)
	}
	return out, n.countUnapproved(c, out)
}

// firstWeek is the week of the acceptance, or the week before it when the
// contract's window reaches back into it (time is taken from a day before
// the offer) and something happened there: a close both parties signed,
// or the contractor's time. An empty week before the contract is left out,
// so the list does not depend on the weekday the offer was made.
func (n *Node) firstWeek(c *contract.Contract, rules contract.EntryRules, closes map[int64]ledger.WeekClose) (time.Time, error) {
	first, earlier := rules.Weeks.Begin(c.Acceptance.AcceptedAt), rules.Weeks.Begin(rules.NotBefore)
	if !earlier.Before(first) {
		return first, nil
	}
	if _, ok := closes[earlier.Unix()]; ok {
		return earlier, nil
	}
	if c.Role != contract.RoleContractor {
		return first, nil
	}
	segs, err := diarydb.New(n.store).Range(c.ID().String(), earlier, first)
	if len(segs) > 0 {
		return earlier, err
	}
	return first, err
}

// keptCloses are the cosigned closes of c's log this installation keeps,
// by week start.
func (n *Node) keptCloses(c *contract.Contract) (map[int64]ledger.WeekClose, error) {
	out := map[int64]ledger.WeekClose{}
	logID, ok := n.logOf(c)
	if !ok {
		return out, nil
	}
	err := n.store.View(func(x *store.Txn) error {
		closes, err := logdb.Closes(x, logID)
		for _, w := range closes {
			out[w.Week] = w
		}
		return err
	})
	return out, err
}

// countUnapproved fills in the contractor's recorded segments of each week
// still taking time; a closed week's are past approving.
func (n *Node) countUnapproved(c *contract.Contract, weeks []WeekView) error {
	if c.Role != contract.RoleContractor {
		return nil
	}
	db := diarydb.New(n.store)
	for i := range weeks {
		w := &weeks[i]
		if w.State == WeekClosed {
			continue
		}
		segs, err := db.Range(c.ID().String(), w.Start, w.End)
		if err != nil {
			return err
		}
		for _, s := range segs {
			if s.State == diary.Recorded {
				w.Unapproved++
			}
		}
	}
	return nil
}
