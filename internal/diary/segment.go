package diary

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// SegmentLength is the diary's unit of time.
const SegmentLength = 10 * time.Minute

// State is where a segment is in its life: only the contractor sees a
// recorded one; an approved one is a signed log entry; a synced one has
// reached the employer.
type State string

// Segment states.
const (
	Recorded State = "recorded"
	Approved State = "approved"
	Synced   State = "synced"
)

// Kind says how the time was captured.
type Kind string

// Segment kinds.
const (
	Auto   Kind = "auto"
	Manual Kind = "manual"
)

// Minute is one tracked minute of a segment: counts only, never which key.
type Minute struct {
	_       struct{} `cbor:",toarray"` // stored compactly: a month decodes in one query
	Index   int      `json:"minute"`   // 0..9 within the segment
	Keys    int      `json:"keys"`
	Clicks  int      `json:"clicks"`
	Scrolls int      `json:"scrolls"`
	Moved   bool     `json:"moved"`
}

// Active reports whether the minute had any input.
func (m Minute) Active() bool { return m.Keys > 0 || m.Clicks > 0 || m.Scrolls > 0 || m.Moved }

// App is time spent in one application during the segment. Title is the
// window title at the last sample (or at screenshot time).
type App struct {
	_       struct{} `cbor:",toarray"`
	Name    string   `json:"name"`
	Title   string   `json:"title"`
	Seconds int      `json:"seconds"`
}

// Image is a stored screenshot or webcam photo, by content hash.
type Image struct {
	_        struct{}  `cbor:",toarray"`
	Hash     string    `json:"hash"`
	Thumb    string    `json:"thumb,omitempty"`
	TakenAt  time.Time `json:"taken_at"`
	Width    int       `json:"width"`
	Height   int       `json:"height"`
	Bytes    int       `json:"bytes"`
	Blurred  bool      `json:"blurred"`
	Redacted bool      `json:"redacted"`
}

// Segment is one 10-minute slot of one contract.
type Segment struct {
	Contract    string    `json:"contract" cbor:"1,keyasint"`
	Start       time.Time `json:"start" cbor:"2,keyasint"`
	State       State     `json:"state" cbor:"3,keyasint"`
	Kind        Kind      `json:"kind" cbor:"4,keyasint"`
	Memo        string    `json:"memo" cbor:"5,keyasint"`
	Minutes     []Minute  `json:"minutes" cbor:"6,keyasint"`
	Apps        []App     `json:"apps" cbor:"7,keyasint"`
	Screenshots []Image   `json:"screenshots" cbor:"8,keyasint"`
	Webcam      []Image   `json:"webcam" cbor:"9,keyasint"`
	OverLimit   bool      `json:"over_limit,omitempty" cbor:"10,keyasint,omitempty"`
	// Entry is the log entry's seq once approved (0 before).
	Entry uint64 `json:"entry,omitempty" cbor:"11,keyasint,omitempty"`
	// IdlePending lists the minutes (by index) of an idle span whose
	// question, keep or discard, is not answered yet. A segment with any
	// cannot be approved. Records written before the field existed have
	// none.
	IdlePending []int `json:"idle_pending,omitempty" cbor:"12,keyasint,omitempty"`
	// Limits is what the session could not record in this segment
	// (screenshots, input counts, the app in front); it goes into the
	// signed entry. Records written before the field existed have none.
	Limits ledger.Limits `json:"limits,omitempty" cbor:"13,keyasint,omitempty"`
	// Corrects is the start (Unix seconds) of the closed week this time
	// makes up for (manual time added as a correction); it goes into the
	// signed entry. 0: none.
	Corrects int64 `json:"corrects,omitempty" cbor:"14,keyasint,omitempty"`
}

// SlotStart is the start of the 10-minute slot holding t (UTC, aligned to
// :00, :10, …).
func SlotStart(t time.Time) time.Time { return t.UTC().Truncate(SegmentLength) }

// ID names a segment: its contract and slot start. One contract never has
// two segments in one slot.
func (s *Segment) ID() string { return SegmentID(s.Contract, s.Start) }

// SegmentID builds the ID of the segment of contract at start.
func SegmentID(contract string, start time.Time) string {
	return fmt.Sprintf("%s-%d", contract, start.UTC().Unix())
}

// ParseSegmentID splits an ID into contract and start.
func ParseSegmentID(id string) (contract string, start time.Time, err error) {
	i := strings.LastIndexByte(id, '-')
	if i <= 0 {
		return "", time.Time{}, fmt.Errorf("segment ID %q: want CONTRACT-UNIXTIME", id)
	}
	var sec int64
	if _, err := fmt.Sscanf(id[i+1:], "%d", &sec); err != nil || sec%int64(SegmentLength/time.Second) != 0 {
		return "", time.Time{}, fmt.Errorf("segment ID %q: bad start time", id)
	}
	return id[:i], time.Unix(sec, 0).UTC(), nil
}

// End is the end of the last tracked minute (Start+10m when complete).
func (s *Segment) End() time.Time {
	if len(s.Minutes) == 0 {
		return s.Start
	}
	return s.Start.Add(time.Duration(s.Minutes[len(s.Minutes)-1].Index+1) * time.Minute)
}

// Tracked is the time the segment counts for: one minute per tracked minute.
func (s *Segment) Tracked() time.Duration { return time.Duration(len(s.Minutes)) * time.Minute }

// ActiveMinutes is the activity level: active minutes out of ten.
func (s *Segment) ActiveMinutes() int {
	n := 0
	for _, m := range s.Minutes {
		if m.Active() {
			n++
		}
	}
	return n
}

// Totals sums the segment's counts.
func (s *Segment) Totals() (keys, clicks, scrolls int) {
	for _, m := range s.Minutes {
		keys += m.Keys
		clicks += m.Clicks
		scrolls += m.Scrolls
	}
	return
}

// HasMinute reports whether minute index i is already recorded.
func (s *Segment) HasMinute(i int) bool {
	for _, m := range s.Minutes {
		if m.Index == i {
			return true
		}
	}
	return false
}

// AddMinute records a minute once; a minute already present is left as it
// is, so replaying after a crash never counts twice.
func (s *Segment) AddMinute(m Minute) bool {
	if m.Index < 0 || m.Index >= 10 || s.HasMinute(m.Index) {
		return false
	}
	s.Minutes = append(s.Minutes, m)
	sort.Slice(s.Minutes, func(i, j int) bool { return s.Minutes[i].Index < s.Minutes[j].Index })
	return true
}

// AddAppTime adds seconds of use to an app, keeping its latest title.
func (s *Segment) AddAppTime(name, title string, seconds int) {
	for i := range s.Apps {
		if s.Apps[i].Name == name {
			s.Apps[i].Seconds += seconds
			if title != "" {
				s.Apps[i].Title = title
			}
			return
		}
	}
	s.Apps = append(s.Apps, App{Name: name, Title: title, Seconds: seconds})
}

// MainApp is the app with the most time, or "".
func (s *Segment) MainApp() string {
	best, name := -1, ""
	for _, a := range s.Apps {
		if a.Seconds > best {
			best, name = a.Seconds, a.Name
		}
	}
	return name
}
