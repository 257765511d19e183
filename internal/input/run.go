package input

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"runtime"
	"time"
)

// stableAfter is how long a helper must have run for its death to count
// as a fresh accident rather than a crash loop, resetting the backoff.
const stableAfter = time.Minute

// Run starts the helper and keeps one running until ctx ends, then stops
// it and returns nil. It returns early, with the reason, when counting is
// impossible: ErrNoDisplay (no DISPLAY, or the helper cannot open it),
// ErrUnsupported, a missing helper binary, or a helper that fails to
// become ready several times in a row. The tracker can keep recording
// without activity counts and show Status to the user.
//
// Supervision waits (ready timeout, backoff) use the wall clock, not the
// injected one: a process takes real time to start, whatever speed the
// tracker's clock runs at.
func (s *Source) Run(ctx context.Context) error {
	s.mu.Lock()
	if s.running {
		s.mu.Unlock()
		return errors.New("input source is already running")
	}
	s.running = true
	s.mu.Unlock()
	defer func() {
		s.mu.Lock()
		s.running = false
		s.mu.Unlock()
	}()

	display := os.Getenv("DISPLAY")
	if s.display != nil {
		display = *s.display
	}
	// Windows and macOS have no DISPLAY: the desktop session is the display.
	if display == "" && runtime.GOOS != "windows" && runtime.GOOS != "darwin" {
		s.setState(NoDisplay, ErrNoDisplay)
		return ErrNoDisplay
	}
	path := s.helperPath
	if path == "" {
		p, err := DefaultHelperPath()
		if err != nil {
			s.setState(Failed, err)
			return err
		}
		path = p
	}
	return s.supervise(ctx, path, display)
}

func (s *Source) supervise(ctx context.Context, path, display string) error {
	backoff := s.minBackoff
	failures := 0
	for {
		started := time.Now()
		ready, err := s.runHelper(ctx, path, display)
		if ctx.Err() != nil {
			s.setState(Stopped, nil)
			return nil
		}
		if fatal(err) {
			st := Failed
			if errors.Is(err, ErrNoDisplay) {
				st = NoDisplay
			}
			s.setState(st, err)
			return err
		}
		if ready {
			failures = 0
			if time.Since(started) >= stableAfter {
				backoff = s.minBackoff
			}
		} else if failures++; failures >= s.maxStartFailures {
			err = fmt.Errorf("input helper failed to start %d times in a row: %w", failures, err)
			s.setState(Failed, err)
			return err
		}
		s.setState(Restarting, err)
		select {
		case <-ctx.Done():
			s.setState(Stopped, nil)
			return nil
		case <-time.After(backoff):
		}
		backoff = min(2*backoff, s.maxBackoff)
		s.mu.Lock()
		s.status.Restarts++
		s.mu.Unlock()
	}
}

// fatal reports errors that a restart cannot fix.
func fatal(err error) bool {
	return errors.Is(err, ErrNoDisplay) || errors.Is(err, ErrUnsupported) || errors.Is(err, fs.ErrNotExist) ||
		errors.Is(err, fs.ErrPermission)
}
