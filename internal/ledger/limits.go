package ledger

import "strings"

// Limits says what a tracked segment could not record in the session it
// was recorded in (payload key 14, docs/format.md §2.2). The employer reads
// it in the signed entry, so time recorded without screenshots or input
// counts is never passed off as fully recorded time.
type Limits uint8

// Limit bits. Numbers are fixed forever.
const (
	// LimitNoScreenshots: some or all of the segment's screenshots could
	// not be taken (a Wayland session without the screenshot portal, or a
	// capture that failed).
	LimitNoScreenshots Limits = 1 << 0
	// LimitNoInputCounts: key presses, clicks and scrolls in some windows
	// could not be counted (native Wayland windows hide input from other
	// programs); a minute counts as active from what could be seen.
	LimitNoInputCounts Limits = 1 << 1
	// LimitIdleNotified: activity is active minutes reported by the
	// desktop's idle notifications, not input counts.
	LimitIdleNotified Limits = 1 << 2
	// LimitNoApps: the app in front could not always be seen; such time
	// shows as "unknown", never as another app.
	LimitNoApps Limits = 1 << 3

	limitsDefined = LimitNoScreenshots | LimitNoInputCounts | LimitIdleNotified | LimitNoApps
)

var limitReasons = []struct {
	bit    Limits
	reason string
}{
	{LimitNoScreenshots, "screenshots unavailable in this session"},
	{LimitNoInputCounts, "key presses and clicks in some windows could not be counted"},
	{LimitIdleNotified, "activity counted from idle notifications, not input counts"},
	{LimitNoApps, "the app in front could not always be seen"},
}

// Reasons returns one plain sentence per limit, in bit order.
func (l Limits) Reasons() []string {
	var out []string
	for _, r := range limitReasons {
		if l&r.bit != 0 {
			out = append(out, r.reason)
		}
	}
	return out
}

// String joins the reasons; "" when nothing was limited.
func (l Limits) String() string { return strings.Join(l.Reasons(), "; ") }
