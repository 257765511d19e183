package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/session"
)

// TrackingStatus is what the Tracker screen shows: whether a session runs,
// and the contract's hours today and this week against its limit.
type TrackingStatus struct {
	Running        bool      `json:"running"`
	Contract       string    `json:"contract"`
	Title          string    `json:"title"`
	Memo           string    `json:"memo"`
	Started        time.Time `json:"started"`
	SegmentStart   time.Time `json:"segment_start"`
	SegmentMinutes int       `json:"segment_minutes"`
	// SegmentDetail is the current segment's tracked minutes, each at its
	// index, and SegmentIdle those waiting for the idle question: the
	// Tracker draws each minute where it fell, idle ones apart.
	SegmentDetail []diary.Minute `json:"segment_detail"`
	SegmentIdle   []int          `json:"segment_idle"`
	// LastMemo is the memo of the contract's last tracked segment, offered
	// for the next session when none runs.
	LastMemo         string `json:"last_memo"`
	TodayMinutes     int    `json:"today_minutes"`
	WeekMinutes      int    `json:"week_minutes"`
	WeeklyLimitHours int    `json:"weekly_limit_hours"`
	LastThumb        string `json:"last_thumb"` // hash of the last screenshot's thumbnail
	// Session is the desktop session tracking runs in (or would), and
	// SessionLines what it will and will not record there and what to do;
	// SessionLimited is set when it keeps something the contract asks for.
	Session        session.Session `json:"session"`
	SessionLines   []string        `json:"session_lines"`
	SessionLimited bool            `json:"session_limited"`
}

// TrackingStatus reports on contractID (ID or prefix), or on the running
// session's contract when contractID is "".
func (n *Node) TrackingStatus(contractID string) (TrackingStatus, error) {
	desk := detectDesk()
	st := TrackingStatus{Session: desk, SessionLines: desk.Lines()}
	s := n.Tracking()
	if s != nil {
		st.Running, st.Memo, st.Started = true, s.Memo, s.Started
		if contractID == "" {
			contractID = s.Contract.ID
		}
	}
	if contractID == "" {
		return st, nil
	}
	c, err := n.Contracts().Resolve(contractID)
	if err != nil {
		return st, err
	}
	if s != nil && s.Contract.ID != c.ID().String() {
		st.Running = false
	}
	st.Contract, st.Title, st.WeeklyLimitHours = c.ID().String(), c.Offer.Title, c.WeeklyLimitHours(n.Clock.Now())
	st.SessionLimited = c.Offer.Relevant(desk.Limits) != 0
	now := n.sessionNow(s)
	db := diarydb.New(n.store)
	day := DayStart(now, n.Zone()) // the person's day, not the UTC one
	weekStart := c.Offer.Weeks().Begin(now)
	segs, err := db.Range(st.Contract, minTime(day, weekStart), now.Add(diary.SegmentLength))
	if err != nil {
		return st, err
	}
	st.SegmentStart = diary.SlotStart(now)
	if !st.Running {
		if st.LastMemo, err = db.LastMemo(st.Contract); err != nil {
			return st, err
		}
	}
	for i := range segs {
		seg := &segs[i]
		mins := len(seg.Minutes)
		if !seg.Start.Before(weekStart) {
			st.WeekMinutes += mins
		}
		if !seg.Start.Before(day) {
			st.TodayMinutes += mins
		}
		if seg.Start.Equal(st.SegmentStart) {
			st.SegmentMinutes = mins
			st.SegmentDetail, st.SegmentIdle = seg.Minutes, seg.IdlePending
		}
		if n := len(seg.Screenshots); n > 0 {
			st.LastThumb = seg.Screenshots[n-1].Thumb
		}
	}
	return st, nil
}

// sessionNow is the running session's clock (which may be a demo's fast
// one) or the node's.
func (n *Node) sessionNow(s *Session) time.Time {
	if s != nil && s.clock != nil {
		return s.clock.Now()
	}
	return n.Clock.Now()
}

func minTime(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}
