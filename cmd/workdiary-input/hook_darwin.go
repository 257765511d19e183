//go:build darwin

package main

import (
	"context"
	"fmt"
	"io"
	"math"
	"time"

	"github.com/ebitengine/purego"

	"github.com/workdiary/workdiary/internal/input/wire"
)

// CoreGraphics is called through purego, so the helper builds for macOS
// without cgo (and cross-builds on Linux) and works the same with cgo.
const coreGraphicsPath = "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"

// eventSource holds CoreGraphics' event source functions.
type eventSource struct {
	counter func(state int32, eventType uint32) uint32  // CGEventSourceCounterForEventType
	since   func(state int32, eventType uint32) float64 // CGEventSourceSecondsSinceLastEventType
}

func loadEventSource() (*eventSource, error) {
	lib, err := purego.Dlopen(coreGraphicsPath, purego.RTLD_NOW|purego.RTLD_GLOBAL)
	if err != nil {
		return nil, fmt.Errorf("%w: load CoreGraphics: %v", errUnsupported, err)
	}
	var s eventSource
	for name, fn := range map[string]any{
		"CGEventSourceCounterForEventType":       &s.counter,
		"CGEventSourceSecondsSinceLastEventType": &s.since,
	} {
		sym, err := purego.Dlsym(lib, name)
		if err != nil {
			return nil, fmt.Errorf("%w: this macOS lacks %s: %v", errUnsupported, name, err)
		}
		purego.RegisterFunc(fn, sym)
	}
	return &s, nil
}

func (s *eventSource) read() eventCounts {
	var c eventCounts
	for i, t := range countedTypes {
		c[i] = s.counter(cgCombinedSessionSrc, t)
	}
	return c
}

// sinceInput is how long ago the window server saw the latest input event.
func (s *eventSource) sinceInput() (time.Duration, error) {
	f := s.since(cgCombinedSessionSrc, cgAnyInputEventType)
	if math.IsNaN(f) || f < 0 {
		return 0, fmt.Errorf("the window server reports no input times (%v): is workdiary-input running in your login session?", f)
	}
	return time.Duration(min(f, 1e9) * float64(time.Second)), nil
}

// run reads the window server's event counters every quartzPoll and
// writes what moved to w until ctx ends.
func run(ctx context.Context, w io.Writer) error {
	src, err := loadEventSource()
	if err != nil {
		return err
	}
	// The first answer proves the event source is readable here.
	if _, err := src.sinceInput(); err != nil {
		return err
	}
	q := newQuartzTally(src.read())
	lastRead := time.Now()
	if _, err := w.Write(wire.ReadyLine); err != nil {
		return err
	}
	t := tally{w: w}
	tick := time.NewTicker(quartzPoll)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil // every reading was written when it was taken
		case now := <-tick.C:
			idle, err := src.sinceInput()
			if err != nil {
				return err
			}
			if !due(idle, now.Sub(lastRead)) {
				continue
			}
			lastRead = now
			t.counts = q.next(src.read())
			if err := t.flush(); err != nil {
				return err
			}
		}
	}
}
