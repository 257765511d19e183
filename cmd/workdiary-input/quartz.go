package main

import (
	"time"

	"github.com/workdiary/workdiary/internal/activity"
)

// On macOS the helper installs no hook at all: the window server counts
// every event it has delivered since it started, per event type, and
// CGEventSourceCounterForEventType reads those counters. Polling them once
// a second gives the same counts as a hook without ever seeing a key code,
// without cgo, and without an event tap (which would make the helper a
// keylogger in macOS's eyes and need the Input Monitoring permission).
// This file is the pure part; hook_darwin.go calls CoreGraphics.

// CGEventType values (CGEventTypes.h) whose counters are read, in the
// order of eventCounts.
const (
	cgLeftMouseDown      = 1
	cgRightMouseDown     = 3
	cgMouseMoved         = 5
	cgLeftMouseDragged   = 6
	cgRightMouseDragged  = 7
	cgKeyUp              = 11
	cgFlagsChanged       = 12
	cgScrollWheel        = 22
	cgOtherMouseDown     = 25
	cgOtherMouseDragged  = 27
	cgAnyInputEventType  = ^uint32(0)
	cgCombinedSessionSrc = 0 // kCGEventSourceStateCombinedSessionState
)

// Indexes of eventCounts.
const (
	iLeftDown = iota
	iRightDown
	iOtherDown
	iMoved
	iLeftDragged
	iRightDragged
	iOtherDragged
	iKeyUp
	iFlagsChanged
	iScroll
	nCounted
)

// countedTypes is the event type read into each index.
var countedTypes = [nCounted]uint32{
	iLeftDown: cgLeftMouseDown, iRightDown: cgRightMouseDown, iOtherDown: cgOtherMouseDown,
	iMoved: cgMouseMoved, iLeftDragged: cgLeftMouseDragged, iRightDragged: cgRightMouseDragged,
	iOtherDragged: cgOtherMouseDragged, iKeyUp: cgKeyUp, iFlagsChanged: cgFlagsChanged, iScroll: cgScrollWheel,
}

// eventCounts is one reading of the counters, indexed as countedTypes.
type eventCounts [nCounted]uint32

const (
	// quartzPoll is how often the counters are read. The counters lose
	// nothing between reads, so this only sets how fresh the counts are.
	quartzPoll = time.Second
	// quartzMaxQuiet is the longest the counters go unread while the
	// window server says there was no input (see due).
	quartzMaxQuiet = 10 * time.Second
	// quartzSlack covers the difference between the window server's event
	// clock and ours.
	quartzSlack = 200 * time.Millisecond
	// maxStep is more events of one type than one poll can see (a 1 kHz
	// mouse moving for a quarter of an hour); a larger step means the
	// counters restarted (a new window server), not input.
	maxStep = 1 << 20
)

// step is how far a counter moved from prev to cur. The counters are
// 32-bit and wrap around, which unsigned subtraction handles; a counter
// that went back (the window server restarted) counts nothing this once
// rather than four billion events.
func step(prev, cur uint32) int {
	d := cur - prev
	if d > maxStep {
		return 0
	}
	return int(d)
}

// quartzTally turns successive readings into counts.
type quartzTally struct {
	prev    eventCounts
	flagOdd bool // a modifier key event left over: half a press
}

// newQuartzTally starts from a first reading; input before it was not
// this helper's to count.
func newQuartzTally(first eventCounts) *quartzTally { return &quartzTally{prev: first} }

// next returns the input between the previous reading and cur.
//
// A key press is counted by its key-up: a key held down makes macOS repeat
// key-downs (25 a second) but sends one key-up, so holding a key is one
// press, as the X and Windows helpers count it. Modifier keys (Shift,
// Command, …) send no key events but one "flags changed" on press and one
// on release: two of those are one press.
func (q *quartzTally) next(cur eventCounts) activity.Counts {
	var d eventCounts
	for i := range cur {
		d[i] = uint32(step(q.prev[i], cur[i]))
	}
	q.prev = cur
	flags := int(d[iFlagsChanged])
	if q.flagOdd {
		flags++
	}
	q.flagOdd = flags%2 == 1
	return activity.Counts{
		Clicks:  int(d[iLeftDown] + d[iRightDown] + d[iOtherDown]),
		Moves:   int(d[iMoved] + d[iLeftDragged] + d[iRightDragged] + d[iOtherDragged]),
		Keys:    int(d[iKeyUp]) + flags/2,
		Scrolls: int(d[iScroll]),
	}
}

// due reports whether the counters need reading: input came since the
// last read (the window server's time since the latest input event is not
// longer than the time since that read), or they have gone unread for
// quartzMaxQuiet, which bounds how late counts arrive should the two
// clocks disagree. While the person is away the helper then makes one
// call a second instead of ten.
func due(sinceInput, sinceRead time.Duration) bool {
	return sinceInput <= sinceRead+quartzSlack || sinceRead >= quartzMaxQuiet
}
