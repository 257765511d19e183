package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// TeamRow is one contract in the employer's team view.
type TeamRow struct {
	Contract         string `json:"contract"`
	Title            string `json:"title"`
	Contractor       string `json:"contractor"`
	Fingerprint      string `json:"fingerprint"`
	State            string `json:"state"`
	WeeklyLimitHours int    `json:"weekly_limit_hours"`
	TodayMinutes     int    `json:"today_minutes"`
	WeekMinutes      int    `json:"week_minutes"`
	ActivityPercent  int    `json:"activity_percent"` // active minutes / tracked minutes this week
	// WeekAmount is the week's minutes at the rate, capped at the limit
	// ("443.33" in Currency): an estimate the timesheet settles.
	WeekAmount string `json:"week_amount"`
	Currency   string `json:"currency"`
	// LastWork is the start of the newest segment received in the last
	// day, and LastMemo its memo: what the contractor worked on last.
	LastWork  time.Time `json:"last_work,omitempty"`
	LastMemo  string    `json:"last_memo,omitempty"`
	Entries   uint64    `json:"entries"`
	LastSync  time.Time `json:"last_sync,omitempty"`
	Online    bool      `json:"online"`
	SyncError string    `json:"sync_error,omitempty"`
	// Unreachable: the last sync failed only because the contractor was
	// offline.
	Unreachable bool `json:"unreachable,omitempty"`
	// Path and LastPath are the contract's SyncState's: how the
	// contractor is reached now, and how the last good sync went.
	Path     string `json:"path,omitempty"`
	LastPath string `json:"last_path,omitempty"`
}

// Team lists the contracts this installation employs on, with the synced
// hours of today (the employer's day, in the display zone) and of the
// contract's week. The whole team is read in one transaction: an
// agency's thousand contracts are a few small reads each (P11).
func (n *Node) Team() ([]TeamRow, error) {
	cs, err := n.Contracts().List()
	if err != nil {
		return nil, err
	}
	byID := map[string]SyncState{}
	for _, s := range n.syncStatesOf(cs, false) {
		byID[s.Contract] = s
	}
	now := n.Clock.Now()
	dayStart := DayStart(now, n.Zone())
	rows := []TeamRow{}
	err = n.store.View(func(x *store.Txn) error {
		recent, err := logdb.RecentAll(x)
		if err != nil {
			return err
		}
		for _, c := range cs {
			if c.Role != contract.RoleEmployer {
				continue
			}
			item := c.ListItem(now) // the state says "paused" too
			r := TeamRow{Contract: item.ID, Title: c.Offer.Title, State: item.State, WeeklyLimitHours: item.WeeklyLimitHours}
			if cp := c.Counterpart(); cp.PublicKey != nil {
				r.Contractor, r.Fingerprint = cp.Name, cp.Fingerprint()
			}
			st := byID[r.Contract]
			r.LastSync, r.Online, r.SyncError, r.Unreachable = st.Last, st.Online, st.Error, st.Unreachable
			r.Path, r.LastPath = st.Path, st.LastPath
			got, err := receivedNow(x, c, recent, c.Offer.Weeks().Begin(now), dayStart, now)
			if err != nil {
				return err
			}
			r.WeekMinutes, r.TodayMinutes = got.week.Minutes, got.today
			r.WeekAmount, r.Currency = weekAmount(c, r.WeekMinutes, now), c.Offer.Currency
			r.LastWork, r.LastMemo, r.Entries = got.lastWork, got.lastMemo, got.head
			if r.WeekMinutes > 0 {
				r.ActivityPercent = got.week.Active * 100 / r.WeekMinutes
			}
			rows = append(rows, r)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// ReceivedDiary is the contractor's diary as the employer received it: the
// live entries of the log in [from, to), read-only, in the diary's shape.
func (n *Node) ReceivedDiary(ref string, from, to time.Time) ([]diary.View, error) {
	c, err := n.Contracts().Resolve(ref)
	if err != nil {
		return nil, err
	}
	return n.receivedSegments(c, from, to)
}

func (n *Node) receivedSegments(c *contract.Contract, from, to time.Time) ([]diary.View, error) {
	out := []diary.View{}
	if c.Acceptance == nil {
		return out, nil
	}
	logID := ledger.LogIDOf(c.ID(), c.Acceptance.Contractor.PublicKey)
	var entries [][]byte
	err := n.store.View(func(x *store.Txn) error {
		var err error
		entries, err = logdb.LiveEntries(x, logID, from.Unix(), to.Unix())
		return err
	})
	if err != nil {
		return nil, err
	}
	// The store holds only entries verified when they were received: the
	// view decodes them without checking each signature again.
	for _, b := range entries {
		e, err := ledger.ReadOwnEntry(b)
		if err != nil {
			return nil, err
		}
		v := diary.ViewOf(segmentOf(c.ID().String(), e))
		v.Disputed = disputeOf(c.Life, v.Start)
		v.Corrects = correctsWeek(c, e.Corrects)
		out = append(out, v)
	}
	return out, nil
}

// segmentOf reads an entry back into the diary's shape.
func segmentOf(cid string, e ledger.Entry) diary.Segment {
	seg := diary.Segment{Contract: cid, Start: time.Unix(e.Start, 0).UTC(), State: diary.Synced, Kind: diary.Auto,
		Memo: e.Memo, Entry: e.Seq, Limits: e.Limits}
	if e.Kind == ledger.KindManual {
		seg.Kind = diary.Manual // a whole segment of manual time
		for i := 0; i < 10; i++ {
			seg.Minutes = append(seg.Minutes, diary.Minute{Index: i})
		}
	}
	for _, m := range e.Minutes {
		seg.Minutes = append(seg.Minutes, diary.Minute{Index: int(m.Index), Keys: int(m.Keys), Clicks: int(m.Clicks),
			Scrolls: int(m.Scrolls), Moved: m.Moved})
	}
	for _, a := range e.Apps {
		seg.Apps = append(seg.Apps, diary.App{Name: a.Process, Title: a.Title, Seconds: int(a.Seconds)})
	}
	for _, img := range e.Images {
		d := diary.Image{Hash: store.Hash(img.SHA256).String(), TakenAt: time.Unix(img.TakenAt, 0).UTC(),
			Width: int(img.Width), Height: int(img.Height), Bytes: int(img.Size), Blurred: img.Blurred, Redacted: img.Redacted}
		if img.Role == ledger.RoleWebcam {
			seg.Webcam = append(seg.Webcam, d)
		} else {
			seg.Screenshots = append(seg.Screenshots, d)
		}
	}
	return seg
}
