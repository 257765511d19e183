package node

import (
	"context"
	"errors"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/tracker"
)

// TrackQuery names what a tracking method is about.
type TrackQuery struct {
	// Contract is the contract whose hours the report gives ("": the
	// running session's).
	Contract string `json:"contract,omitempty"`
	// Session is the session asked about, by its start (zero: whichever
	// runs). OpTrackStop then stops only that one.
	Session time.Time `json:"session,omitempty"`
	// Since is the number of the first event wanted.
	Since int `json:"since,omitempty"`
}

// TrackReport is what the tracking methods answer: the status, who runs
// the session, and the session's events from TrackQuery.Since on.
type TrackReport struct {
	TrackingStatus
	Owner   string       `json:"owner"`
	Ends    time.Time    `json:"ends,omitempty"`    // when the session ends by itself (its --for)
	Stopped bool         `json:"stopped,omitempty"` // track.stop: a session was stopped
	Events  []TrackEvent `json:"events,omitempty"`
	Next    int          `json:"next_event"` // the number of the next event
}

// TrackEvent is one of a session's events.
type TrackEvent struct {
	Kind    tracker.EventKind `json:"kind"`
	At      time.Time         `json:"at"`
	Segment string            `json:"segment,omitempty"`
	Message string            `json:"message,omitempty"`
}

// OnTracking sets who hears the events of sessions that other processes
// start through the control socket (the desktop app's window, so that it
// shows a session `workdiary track` began).
func (n *Node) OnTracking(f func(tracker.Event)) {
	n.tracking.mu.Lock()
	defer n.tracking.mu.Unlock()
	n.tracking.observer = f
}

// trackStartOp starts a session for another process (`workdiary track`):
// its events go to the window's observer, if any (OnTracking).
func (n *Node) trackStartOp(ctx context.Context, p TrackParams) (TrackReport, error) {
	n.tracking.mu.Lock()
	observer := n.tracking.observer
	n.tracking.mu.Unlock()
	s, err := n.StartTracking(ctx, p, nil, observer, nil)
	if err != nil {
		return TrackReport{}, err
	}
	return n.TrackReport(TrackQuery{Session: s.Started})
}

// StopTracking ends the running session (only q.Session, when set) and
// reports on it.
func (n *Node) StopTracking(q TrackQuery) (TrackReport, error) {
	s := n.Tracking()
	if s == nil || (!q.Session.IsZero() && !s.Started.Equal(q.Session)) {
		return n.TrackReport(q)
	}
	err := s.Stop()
	if err != nil && !errors.Is(err, tracker.ErrLimitReached) && !stoppedByContract(err) {
		return TrackReport{}, err
	}
	if q.Contract == "" {
		q.Contract = s.Contract.ID
	}
	q.Session = s.Started
	r, err := n.TrackReport(q)
	r.Stopped = true
	return r, err
}

// TrackReport reports on q.Contract (or the running session's), with the
// events of q.Session (or of the last session) from q.Since on.
func (n *Node) TrackReport(q TrackQuery) (TrackReport, error) {
	n.tracking.mu.Lock()
	last := n.tracking.session
	n.tracking.mu.Unlock()
	r := TrackReport{Owner: n.lock.Role()}
	st, err := n.TrackingStatus(q.Contract)
	if err != nil {
		return r, err
	}
	r.TrackingStatus = st
	if last == nil || (!q.Session.IsZero() && !last.Started.Equal(q.Session)) {
		return r, nil
	}
	if st.Running && last.Started.Equal(st.Started) {
		r.Ends = last.Ends
	}
	evs, next := last.Events(q.Since)
	r.Next = next
	for _, ev := range evs {
		r.Events = append(r.Events, TrackEvent{Kind: ev.Kind, At: ev.At, Segment: ev.Segment, Message: ev.Message})
	}
	return r, nil
}

// stoppedByContract: a pause or an end stopped the session, a normal end.
func stoppedByContract(err error) bool {
	return errors.Is(err, contract.ErrPaused) || errors.Is(err, contract.ErrEnded)
}
