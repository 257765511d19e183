package diary

import (
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// View is a segment as `diary --json` prints it and the Diary screen shows
// it (docs/design.md, command line): the stored fields plus what is derived from
// them.
type View struct {
	ID            string    `json:"id"`
	Contract      string    `json:"contract"`
	Start         time.Time `json:"start"`
	End           time.Time `json:"end"`
	State         State     `json:"state"`
	Kind          Kind      `json:"kind"`
	Memo          string    `json:"memo"`
	ActiveMinutes int       `json:"active_minutes"`
	Keys          int       `json:"keys"`
	Clicks        int       `json:"clicks"`
	Scrolls       int       `json:"scrolls"`
	Minutes       []Minute  `json:"minutes"`
	Apps          []App     `json:"apps"`
	Screenshots   []Image   `json:"screenshots"`
	Webcam        []Image   `json:"webcam"`
	OverLimit     bool      `json:"over_limit"`
	Entry         uint64    `json:"entry,omitempty"`
	// IdlePending lists the minutes waiting for the idle question (keep
	// or discard); while any are, the segment cannot be approved.
	IdlePending []int `json:"idle_pending"`
	// Refused is why the employer refused the segment's entry (it counts
	// for nothing; delete the segment to void it), or "".
	Refused string `json:"refused,omitempty"`
	// Disputed is the reason of the employer's dispute of this segment,
	// bound into the contract's log (shown on both sides), or "".
	Disputed string `json:"disputed,omitempty"`
	// Corrects names the closed week (ISO, 2026-W48) this time makes up
	// for, or "": the node fills it in, as only the contract knows its
	// weeks.
	Corrects string `json:"corrects,omitempty"`
	// Unverified says, one reason each, what the session could not record
	// in this segment ("screenshots unavailable in this session"); the
	// employer sees the same reasons in the signed entry.
	Unverified []string `json:"unverified"`
	// ActivityMeasure names what the activity figures are: "input counts",
	// or "active minutes" when the desktop's idle notifications gave them.
	ActivityMeasure string `json:"activity_measure"`
}

// ViewOf builds the view of a segment; nil lists become empty ones so JSON
// consumers always get arrays.
func ViewOf(s Segment) View {
	k, c, sc := s.Totals()
	v := View{ID: s.ID(), Contract: s.Contract, Start: s.Start, End: s.End(), State: s.State, Kind: s.Kind,
		Memo: s.Memo, ActiveMinutes: s.ActiveMinutes(), Keys: k, Clicks: c, Scrolls: sc,
		Minutes: s.Minutes, Apps: s.Apps, Screenshots: s.Screenshots, Webcam: s.Webcam, OverLimit: s.OverLimit, Entry: s.Entry,
		IdlePending: s.IdlePending, Unverified: s.Limits.Reasons(), ActivityMeasure: "input counts"}
	if s.Limits&ledger.LimitIdleNotified != 0 {
		v.ActivityMeasure = "active minutes"
	}
	if v.Unverified == nil {
		v.Unverified = []string{}
	}
	if v.Minutes == nil {
		v.Minutes = []Minute{}
	}
	if v.Apps == nil {
		v.Apps = []App{}
	}
	if v.Screenshots == nil {
		v.Screenshots = []Image{}
	}
	if v.IdlePending == nil {
		v.IdlePending = []int{}
	}
	if v.Webcam == nil {
		v.Webcam = []Image{}
	}
	return v
}
