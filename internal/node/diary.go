package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/timesheet"
)

// DiaryParams select segments: one contract (ID or unique prefix) or all,
// in [From, To). Zero times mean the last 7 days up to now.
type DiaryParams struct {
	Contract string    `json:"contract,omitempty"`
	From     time.Time `json:"from,omitempty"`
	To       time.Time `json:"to,omitempty"`
}

// Diary lists segments in time order as `diary --json` prints them. On a
// contract this installation employs on, it is the contractor's diary as
// synced here: read-only, the approved entries of the received log.
func (n *Node) Diary(p DiaryParams) ([]diary.View, error) {
	to := p.To
	if to.IsZero() {
		to = n.Clock.Now().Add(diary.SegmentLength)
	}
	from := p.From
	if from.IsZero() {
		from = to.AddDate(0, 0, -7)
	}
	contractID := ""
	if p.Contract != "" {
		c, err := n.Contracts().Resolve(p.Contract)
		if err != nil {
			return nil, err
		}
		if c.Role == contract.RoleEmployer {
			return n.receivedSegments(c, from, to)
		}
		contractID = c.ID().String()
	}
	segs, err := diarydb.New(n.store).Range(contractID, from, to)
	if err != nil {
		return nil, err
	}
	refused := n.refusedSegments(segs)
	contracts := map[string]*contract.Contract{}
	out := make([]diary.View, 0, len(segs))
	for _, s := range segs {
		v := diary.ViewOf(s)
		c := n.contractOf(contracts, s.Contract)
		if s.Entry != 0 && c != nil {
			v.Refused = refused[s.Contract][s.Entry]
			v.Disputed = disputeOf(c.Life, s.Start)
		}
		if c != nil {
			v.Corrects = correctsWeek(c, s.Corrects)
		}
		out = append(out, v)
	}
	return out, nil
}

// contractOf is contract id, read once per call into seen; nil when it
// cannot be read.
func (n *Node) contractOf(seen map[string]*contract.Contract, id string) *contract.Contract {
	c, ok := seen[id]
	if !ok {
		c, _ = n.Contracts().Resolve(id)
		seen[id] = c
	}
	return c
}

// correctsWeek names the closed week (ISO, in c's week zone) that time
// saying corrects (key 15, the week's start in Unix seconds) makes up
// for, or "" for ordinary time.
func correctsWeek(c *contract.Contract, corrects int64) string {
	if corrects == 0 {
		return ""
	}
	return timesheet.WeekOf(time.Unix(corrects, 0), c.Offer.Weeks()).String()
}

// disputeOf is the reason of the bound dispute naming the segment at
// start, or "".
func disputeOf(l *contract.Lifecycle, start time.Time) string {
	if l == nil {
		return ""
	}
	if d := l.DisputeOf(start); d != nil {
		return d.Reason
	}
	return ""
}

// refusedSegments are the employer's refusals of the contracts' own logs
// that segs belong to: contract ID to seq to reason.
func (n *Node) refusedSegments(segs []diary.Segment) map[string]map[uint64]string {
	out := map[string]map[uint64]string{}
	for _, s := range segs {
		if _, done := out[s.Contract]; done || s.Entry == 0 {
			continue
		}
		out[s.Contract] = nil
		c, err := n.Contracts().Resolve(s.Contract)
		if err != nil || c.Role != contract.RoleContractor {
			continue
		}
		logID, ok := n.logOf(c)
		if !ok {
			continue
		}
		_ = n.store.View(func(x *store.Txn) error {
			out[s.Contract], err = logdb.Refusals(x, logID)
			return err
		})
	}
	return out
}
