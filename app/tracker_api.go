package app

import (
	"context"
	"time"

	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/tracker"
)

// TrackerAPI is bound to the frontend's tracker store.
type TrackerAPI struct {
	app  *App
	idle chan bool // the person's answer to the idle question
}

// TrackerStatus is what the Tracker screen shows.
type TrackerStatus = node.TrackingStatus

// TrackerEvent is sent to the window as it happens.
type TrackerEvent struct {
	Kind    string    `json:"kind"`
	At      time.Time `json:"at"`
	Segment string    `json:"segment"`
	Message string    `json:"message"`
	Thumb   string    `json:"thumb"` // data: URL of a new screenshot's thumbnail
}

// Status reports on a contract ("" = the running session's).
func (s *TrackerAPI) Status(contractID string) (TrackerStatus, error) {
	return s.app.n().TrackingStatus(contractID)
}

// Start begins tracking a contract with a memo. The session runs in the
// node like one `workdiary track` asks for, so `workdiary track stop` and
// `track status` see it too.
func (s *TrackerAPI) Start(contractID, memo string) (TrackerStatus, error) {
	n := s.app.n()
	if _, err := n.StartTracking(s.app.ctx, node.TrackParams{Contract: contractID, Memo: memo}, nil, s.forward, idleAsker{s}); err != nil {
		return TrackerStatus{}, explain(err)
	}
	return n.TrackingStatus(contractID)
}

// Stop ends the running session, whoever started it.
func (s *TrackerAPI) Stop() (TrackerStatus, error) {
	r, err := s.app.n().StopTracking(node.TrackQuery{})
	return r.TrackingStatus, err
}

// AnswerIdle is the idle dialog's answer: keep the idle time or discard it.
func (s *TrackerAPI) AnswerIdle(keep bool) {
	select {
	case s.idle <- keep:
	default: // nobody is asking
	}
}

// idleAsker is the tracker's IdleDecider in the desktop app: it asks the
// window and waits for AnswerIdle while the tracker goes on recording.
// (Unexported so Wails does not bind it.)
type idleAsker struct{ s *TrackerAPI }

func (a idleAsker) KeepIdle(ctx context.Context, from, to time.Time) (keep, answered bool) {
	if ctx.Err() != nil {
		return false, false
	}
	s := a.s
	s.app.emit(EventTrackerIdle, TrackerEvent{Kind: "idle-question", At: from,
		Message: "You were idle from " + from.Local().Format("15:04") + " to " + to.Local().Format("15:04") + "."})
	select {
	case keep := <-s.idle:
		return keep, true
	case <-ctx.Done():
		// Stopping: the idle minutes stay marked in the diary and the
		// question comes back when this contract is tracked next.
		return false, false
	}
}

func (s *TrackerAPI) forward(e tracker.Event) {
	ev := TrackerEvent{Kind: string(e.Kind), At: e.At, Segment: e.Segment, Message: e.Message}
	name := EventTrackerMinute // also for node.TrackStarted: re-read the status
	switch e.Kind {
	case node.TrackStopped:
		name = EventTrackerStopped
	case tracker.ScreenshotTaken:
		name = EventTrackerScreenshot
		ev.Thumb, _ = s.app.Images.DataURL(e.Thumb)
	case tracker.IdleStarted, tracker.IdleKept, tracker.IdleDiscarded:
		name = EventTrackerIdle
	case tracker.LimitWarning, tracker.LimitReached, tracker.ContractStopped:
		name = EventTrackerLimit
	case tracker.Problem:
		name = EventTrackerProblem
	}
	s.app.emit(name, ev)
	s.app.goBg(s.app.refreshTray) // told under the node's tracking lock at a start
}
