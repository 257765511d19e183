// Command workdiary-input counts keyboard and mouse input for the Workdiary
// tracker. It is the only Workdiary binary that links gohook, whose C
// library opens the X display in a load-time constructor and crashes a
// process that has none; keeping it in its own process means the CLI and
// the desktop app never crash for that reason, and internal/input can
// restart this helper when it dies. On macOS it links no hook: it polls
// the window server's event counters through CoreGraphics (quartz.go).
//
// It prints {"ready":true} once the hook runs, then at most one line of
// counts every 250 ms (on macOS every second) while there is input (see
// internal/input/wire). It never writes which key was pressed. It exits when stdin reaches EOF (the
// parent is gone) or on SIGTERM/SIGINT.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/input/wire"
)

const (
	// flushEvery bounds how stale the parent's counts are; coarser would
	// make the live meter lag, finer would only cost wake-ups.
	flushEvery = 250 * time.Millisecond
	// pollEvery is how often (ms) gohook drains its C event queue. Its
	// default of 50 ms costs measurable idle CPU in a helper that runs all
	// day; 100 ms halves the wake-ups and is still well under flushEvery.
	// The queue holds 1024 events, ample for 100 ms of a 1 kHz mouse.
	pollEvery = 100
	// readyTimeout is how long the hook may take to report it runs.
	readyTimeout = 5 * time.Second
)

var (
	errNoDisplay   = errors.New("cannot open the X display")
	errUnsupported = errors.New("input counting is not supported in this build (needs Linux/X11 or Windows built with cgo, or macOS)")
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), syscall.SIGTERM, os.Interrupt)
	defer stop()
	go func() {
		// The parent holds our stdin open and never writes to it; EOF means
		// it died, and a helper outliving its tracker would be a leak.
		_, _ = io.Copy(io.Discard, os.Stdin)
		stop()
	}()

	err := run(ctx, os.Stdout)
	switch {
	case err == nil:
		return
	case errors.Is(err, errNoDisplay):
		fmt.Fprintf(os.Stderr, "workdiary-input: %v (DISPLAY=%q)\n", err, os.Getenv("DISPLAY"))
		os.Exit(wire.ExitNoDisplay)
	case errors.Is(err, errUnsupported):
		fmt.Fprintf(os.Stderr, "workdiary-input: %v\n", err)
		os.Exit(wire.ExitUnsupported)
	default:
		fmt.Fprintf(os.Stderr, "workdiary-input: %v\n", err)
		os.Exit(1)
	}
}

// tally holds the counts since the last line. Only the hook loop touches
// it, so it needs no lock.
type tally struct {
	w      io.Writer
	counts activity.Counts
	buf    []byte
}

// flush writes the pending counts as one line, with one write call, and
// writes nothing when there were none.
func (t *tally) flush() error {
	if !t.counts.Any() {
		return nil
	}
	t.buf = wire.AppendCounts(t.buf[:0], t.counts)
	t.counts = activity.Counts{}
	if _, err := t.w.Write(t.buf); err != nil {
		return fmt.Errorf("write counts: %w", err)
	}
	return nil
}
