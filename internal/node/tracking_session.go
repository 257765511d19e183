package node

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/tracker"
)

// Events a session adds to its tracker's: when it began (Message: the
// memo) and when it ended (Message: why, when it ended by itself).
// TrackSession comes first when the desktop session keeps something the
// contract asks for from the tracker (Message: what, and what to do).
const (
	TrackStarted tracker.EventKind = "started"
	TrackStopped tracker.EventKind = "stopped"
	TrackSession tracker.EventKind = "session"
)

// maxEvents is how many of a session's events it keeps for `track status`
// and a `track` following the session from another process.
const maxEvents = 256

// eventLog keeps a session's recent events, numbered from 0, so a process
// that polls (`track` following an owner's session) reads each once.
type eventLog struct {
	mu     sync.Mutex
	events []tracker.Event
	first  int // the number of events[0]
}

func (l *eventLog) add(ev tracker.Event) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.events = append(l.events, ev)
	if drop := len(l.events) - maxEvents; drop > 0 {
		l.events = append([]tracker.Event(nil), l.events[drop:]...)
		l.first += drop
	}
}

// since returns the events numbered from n on, and the number of the next.
func (l *eventLog) since(n int) ([]tracker.Event, int) {
	l.mu.Lock()
	defer l.mu.Unlock()
	next := l.first + len(l.events)
	if n < l.first {
		n = l.first
	}
	if n >= next {
		return nil, next
	}
	return append([]tracker.Event(nil), l.events[n-l.first:]...), next
}

// tell records ev and passes it on.
func (l *eventLog) tell(ev tracker.Event, notify func(tracker.Event)) {
	l.add(ev)
	if notify != nil {
		notify(ev)
	}
}

func (l *eventLog) recorder(notify func(tracker.Event)) func(tracker.Event) {
	return func(ev tracker.Event) { l.tell(ev, notify) }
}

// ended records why the session ended, marks it done, then tells notify,
// so that whoever hears TrackStopped already finds the session stopped.
func (s *Session) ended(err error, notify func(tracker.Event)) {
	ev := tracker.Event{Kind: TrackStopped, At: s.clock.Now()}
	if err != nil && !errors.Is(err, context.Canceled) {
		ev.Message = err.Error()
	}
	s.err = err
	s.events.add(ev)
	close(s.done)
	if notify != nil {
		notify(ev)
	}
}

// endAfter sets when a session of length d ends, and returns the channel
// that fires then (nil: it runs until stopped).
func (s *Session) endAfter(d time.Duration) <-chan time.Time {
	if d <= 0 {
		return nil
	}
	s.Ends = s.Started.Add(d)
	return s.clock.After(d)
}

// stopAt ends the session when end fires.
func (s *Session) stopAt(ctx context.Context, end <-chan time.Time) {
	if end == nil {
		return
	}
	select {
	case <-end:
		s.cancel()
	case <-ctx.Done():
	}
}

// Events returns the session's events numbered from n on, and the number
// of the next one.
func (s *Session) Events(n int) ([]tracker.Event, int) { return s.events.since(n) }

// sessionClock is the node's clock, or for p.ClockSpeed one that starts
// p.For in the past and runs fast enough to reach the present as the
// session ends.
func (n *Node) sessionClock(p TrackParams) (clock.Clock, error) {
	if p.ClockSpeed == 0 || p.ClockSpeed == 1 {
		return n.Clock, nil
	}
	if p.ClockSpeed < 0 || p.For <= 0 {
		return nil, fmt.Errorf("a clock speed of %g needs a positive speed and a duration (--for), so that the session ends at the present moment", p.ClockSpeed)
	}
	return clock.NewScaled(n.Clock.Now().Add(-p.For), p.ClockSpeed), nil
}
