package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
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
	out := make([]diary.View, 0, len(segs))
	for _, s := range segs {
		out = append(out, diary.ViewOf(s))
	}
	return out, nil
}
