package tracker

import "time"

// EventKind names what the tracker tells its observer.
type EventKind string

// What the tracker reports as it runs.
const (
	MinuteRecorded  EventKind = "minute"
	ScreenshotTaken EventKind = "screenshot"
	IdleStarted     EventKind = "idle"
	IdleKept        EventKind = "idle-kept"
	IdleDiscarded   EventKind = "idle-discarded"
	LimitWarning    EventKind = "limit-warning"
	LimitReached    EventKind = "limit-reached"
	// ContractStopped: the contract was paused or ended while recording;
	// the message says which and since when.
	ContractStopped EventKind = "contract-stopped"
	Problem         EventKind = "problem"
)

// Event is one report. Segment is the ID of the segment concerned.
type Event struct {
	Kind    EventKind
	At      time.Time
	Segment string
	Message string
	Thumb   string // screenshot events: the thumbnail's hash
}
