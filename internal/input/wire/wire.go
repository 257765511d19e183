// Package wire is the line protocol between the workdiary-input helper and
// the supervisor in internal/input: one JSON object per line on the
// helper's stdout. It lives apart from both so the helper links nothing of
// the supervisor and the two cannot drift.
//
//	{"ready":true}                                  the hook runs; sent once
//	{"keys":7,"clicks":3,"scrolls":2,"moves":40}     inputs since the last line
package wire

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/workdiary/workdiary/internal/activity"
)

// ExitNoDisplay is the helper's exit status when it cannot open the X
// display, so the supervisor can tell "no display" from a crash.
const ExitNoDisplay = 3

// ExitUnsupported is the helper's exit status on a platform or build
// (CGO_ENABLED=0) without an input hook.
const ExitUnsupported = 4

// Report is one line from the helper.
type Report struct {
	Ready   bool `json:"ready,omitempty"`
	Keys    int  `json:"keys,omitempty"`
	Clicks  int  `json:"clicks,omitempty"`
	Scrolls int  `json:"scrolls,omitempty"`
	Moves   int  `json:"moves,omitempty"`
}

// Counts returns the report's inputs.
func (r Report) Counts() activity.Counts {
	return activity.Counts{Keys: r.Keys, Clicks: r.Clicks, Scrolls: r.Scrolls, Moves: r.Moves}
}

// ReadyLine is the line the helper prints once its hook runs.
var ReadyLine = []byte("{\"ready\":true}\n")

// AppendCounts appends c as one line. It is hand-written rather than
// json.Marshal because the helper runs all day and should not allocate
// or reflect four times a second.
func AppendCounts(b []byte, c activity.Counts) []byte {
	b = append(b, `{"keys":`...)
	b = strconv.AppendInt(b, int64(c.Keys), 10)
	b = append(b, `,"clicks":`...)
	b = strconv.AppendInt(b, int64(c.Clicks), 10)
	b = append(b, `,"scrolls":`...)
	b = strconv.AppendInt(b, int64(c.Scrolls), 10)
	b = append(b, `,"moves":`...)
	b = strconv.AppendInt(b, int64(c.Moves), 10)
	return append(b, "}\n"...)
}

// Parse decodes one line. Negative counts are rejected: they can only come
// from a corrupt or foreign writer, and would subtract real work.
func Parse(line []byte) (Report, error) {
	var r Report
	if err := json.Unmarshal(line, &r); err != nil {
		return Report{}, fmt.Errorf("parse helper line %q: %w", line, err)
	}
	if r.Keys < 0 || r.Clicks < 0 || r.Scrolls < 0 || r.Moves < 0 {
		return Report{}, fmt.Errorf("parse helper line %q: negative count", line)
	}
	return r, nil
}
