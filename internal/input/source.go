package input

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/clock"
)

// ErrNoDisplay means there is no X display to count input on.
var ErrNoDisplay = errors.New("no X display: activity counting needs one (set DISPLAY or run under Xvfb)")

// ErrUnsupported means the helper was built without an input hook for this
// platform (for example with CGO_ENABLED=0).
var ErrUnsupported = errors.New("activity counting is not supported by this build of workdiary-input")

// HelperName is the helper binary's file name; by default it is looked up
// beside the running executable, where `make build` puts it.
const HelperName = "workdiary-input"

// State is what the helper is doing, for the UI.
type State int

// The states of a Source.
const (
	Stopped    State = iota // Run has not started or has returned after its context ended
	Starting                // the helper was started and has not reported ready yet
	Running                 // the helper's hook runs and counts arrive
	Restarting              // the helper died; a new one starts after a backoff
	NoDisplay               // there is no display; Run returned ErrNoDisplay
	Failed                  // the helper cannot be started; Run returned the reason
)

// String names the state for the UI and logs.
func (s State) String() string {
	return [...]string{"stopped", "starting", "running", "restarting", "no display", "failed"}[s]
}

// Status is a snapshot of the helper's health.
type Status struct {
	State    State
	Err      error // the last failure, kept after a successful restart so the UI can show why; nil if none
	Restarts int   // helpers started after the first one
	PID      int   // the current helper's process ID, 0 when none runs
}

// Source counts the user's input through the helper process. Its methods
// are safe for concurrent use; Run must be called at most once at a time.
type Source struct {
	helperPath string
	clock      clock.Clock
	display    *string // nil: use $DISPLAY when Run starts

	minBackoff, maxBackoff time.Duration
	readyTimeout           time.Duration
	maxStartFailures       int

	mu      sync.Mutex
	counter *activity.Counter
	status  Status
	running bool
}

// Option changes a Source's defaults.
type Option func(*Source)

// WithDisplay makes the helper use display instead of $DISPLAY; "" means
// there is none.
func WithDisplay(display string) Option { return func(s *Source) { s.display = &display } }

// WithBackoff sets the first and the longest wait before restarting a
// helper that died.
func WithBackoff(first, longest time.Duration) Option {
	return func(s *Source) { s.minBackoff, s.maxBackoff = first, max(first, longest) }
}

// WithReadyTimeout sets how long a new helper may take to report ready.
func WithReadyTimeout(d time.Duration) Option { return func(s *Source) { s.readyTimeout = d } }

// New returns a Source that runs the helper at helperPath ("" for
// workdiary-input beside the running executable) and timestamps input on
// arrival with clk. Counting starts at clk.Now().
func New(helperPath string, clk clock.Clock, opts ...Option) *Source {
	s := &Source{
		helperPath:       helperPath,
		clock:            clk,
		minBackoff:       500 * time.Millisecond,
		maxBackoff:       30 * time.Second,
		readyTimeout:     10 * time.Second,
		maxStartFailures: 3,
		counter:          activity.NewCounter(clk.Now()),
	}
	for _, o := range opts {
		o(s)
	}
	return s
}

// DefaultHelperPath is workdiary-input in the running executable's folder.
func DefaultHelperPath() (string, error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("find the input helper: %w", err)
	}
	return filepath.Join(filepath.Dir(exe), HelperName), nil
}

// Flush returns every finished minute not flushed before, in order,
// including minutes without input; see activity.Counter.Flush.
func (s *Source) Flush(now time.Time) []activity.Minute {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counter.Flush(now)
}

// Current returns the input so far in the minute holding now.
func (s *Source) Current(now time.Time) activity.Minute {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counter.Current(now)
}

// LastInput is when the latest input arrived; zero if none has.
func (s *Source) LastInput() time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counter.LastInput()
}

// IdleSince reports whether there was no input for threshold at now, and
// where the idle span starts; see activity.Counter.IdleSince.
func (s *Source) IdleSince(now time.Time, threshold time.Duration) (since time.Time, idle bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counter.IdleSince(now, threshold)
}

// Status returns the helper's current state and last error.
func (s *Source) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.status
}

func (s *Source) setState(st State, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.status.State = st
	if err != nil {
		s.status.Err = err
	}
	if st != Starting && st != Running {
		s.status.PID = 0
	}
}
