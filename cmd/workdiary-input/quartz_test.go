package main

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
)

func TestStepWrapsAndIgnoresRestarts(t *testing.T) {
	for _, tc := range []struct {
		prev, cur uint32
		want      int
	}{
		{10, 10, 0},
		{10, 17, 7},
		{0xfffffffe, 3, 5},    // wrapped around
		{5_000_000, 12, 0},    // the window server restarted: its counters began again
		{0, maxStep, maxStep}, // the most one poll may see
		{0, maxStep + 1, 0},
	} {
		if got := step(tc.prev, tc.cur); got != tc.want {
			t.Errorf("step(%d, %d) = %d; want %d", tc.prev, tc.cur, got, tc.want)
		}
	}
}

func reading(set map[int]uint32) eventCounts {
	var c eventCounts
	for i, v := range set {
		c[i] = v
	}
	return c
}

func TestQuartzTallyCounts(t *testing.T) {
	// Counters as the window server has them when the helper starts:
	// nothing before this belongs to the session.
	q := newQuartzTally(reading(map[int]uint32{iKeyUp: 1000, iLeftDown: 50, iMoved: 9000, iFlagsChanged: 40}))
	if got := q.next(q.prev); got.Any() {
		t.Fatalf("no change counted %+v", got)
	}
	// Three keys typed, one of them held (its repeated key-downs are not
	// even read), a left and a right click, a drag, mouse moves, two wheel
	// steps, and Shift pressed and released (two flag changes).
	got := q.next(reading(map[int]uint32{
		iKeyUp: 1003, iLeftDown: 51, iRightDown: 1, iMoved: 9040, iLeftDragged: 5,
		iFlagsChanged: 42, iScroll: 2,
	}))
	want := activity.Counts{Keys: 4, Clicks: 2, Moves: 45, Scrolls: 2}
	if got != want {
		t.Errorf("next = %+v; want %+v", got, want)
	}
	// A modifier pressed in one poll and released in the next is one press.
	if got := q.next(reading(map[int]uint32{iKeyUp: 1003, iLeftDown: 51, iRightDown: 1, iMoved: 9040, iLeftDragged: 5, iFlagsChanged: 43, iScroll: 2})); got.Keys != 0 {
		t.Errorf("half a modifier press counted %d keys", got.Keys)
	}
	if got := q.next(reading(map[int]uint32{iKeyUp: 1003, iLeftDown: 51, iRightDown: 1, iMoved: 9040, iLeftDragged: 5, iFlagsChanged: 44, iScroll: 2})); got.Keys != 1 {
		t.Errorf("a modifier press across two polls counted %d keys; want 1", got.Keys)
	}
}

func TestDue(t *testing.T) {
	for _, tc := range []struct {
		sinceInput, sinceRead time.Duration
		want                  bool
	}{
		{300 * time.Millisecond, time.Second, true},             // input since the last read
		{time.Second + 100*time.Millisecond, time.Second, true}, // within the clocks' slack
		{5 * time.Minute, time.Second, false},                   // away: nothing to read
		{5 * time.Minute, quartzMaxQuiet, true},                 // but never unread for long
	} {
		if got := due(tc.sinceInput, tc.sinceRead); got != tc.want {
			t.Errorf("due(%v, %v) = %v; want %v", tc.sinceInput, tc.sinceRead, got, tc.want)
		}
	}
}
