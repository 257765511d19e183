package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// DiaryParams select segments: one contract (ID or unique prefix) or all,
// in [From, To). Zero times mean the last 7 days up to now.
type DiaryParams struct {
	Contract string    `json:"contract,omitempty"`
	From     time.Time `json:"from,omitempty"`
	To       time.Time `json:"to,omitempty"`
}

// Diary lists segments in time order as `diary --json` prints them.
func (n *Node) Diary(p DiaryParams) ([]diary.View, error) {
	contractID := ""
	if p.Contract != "" {
		c, err := n.Contracts().Resolve(p.Contract)
		if err != nil {
			return nil, err
		}
		contractID = c.ID().String()
	}
	to := p.To
	if to.IsZero() {
		to = n.Clock.Now().Add(diary.SegmentLength)
	}
	from := p.From
	if from.IsZero() {
		from = to.AddDate(0, 0, -7)
	}
	segs, err := diarydb.New(n.store).Range(contractID, from, to)
	if err != nil {
		return nil, err
	}
	refused := n.refusedSegments(segs)
	lives := map[string]*contract.Lifecycle{}
	out := make([]diary.View, 0, len(segs))
	for _, s := range segs {
		v := diary.ViewOf(s)
		if s.Entry != 0 {
			v.Refused = refused[s.Contract][s.Entry]
			v.Disputed = disputeOf(n.lifeOf(lives, s.Contract), s.Start)
		}
		out = append(out, v)
	}
	return out, nil
}

// lifeOf is contract id's lifecycle, read once per call into lives.
func (n *Node) lifeOf(lives map[string]*contract.Lifecycle, id string) *contract.Lifecycle {
	l, ok := lives[id]
	if !ok {
		if c, err := n.Contracts().Resolve(id); err == nil {
			l = c.Life
		}
		lives[id] = l
	}
	return l
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
