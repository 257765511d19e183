//go:build (linux || windows) && cgo

package main

import (
	"context"
	"errors"
	"io"
	"time"

	hook "github.com/robotn/gohook"

	"github.com/workdiary/workdiary/internal/input/wire"
)

// run starts the global hook and writes counts to w until ctx ends.
//
// gohook's kind constants are misnamed for some ids (its MouseUp is
// libuiohook's "clicked", its MouseHold is "released", KeyHold is
// "typed"), so only the ids that really mean "went down" are counted:
// KeyDown (4), MouseDown (7), MouseWheel (11), MouseMove/MouseDrag (9/10).
// X reports a wheel step as button 4/5; libuiohook turns that into a wheel
// event only, so a scroll is never also a click.
func run(ctx context.Context, w io.Writer) error {
	if err := displayReady(); err != nil {
		return err
	}
	events := hook.Start(pollEvery)
	t := tally{w: w}
	keys := make(repeatFilter)

	ready := time.NewTimer(readyTimeout)
	defer ready.Stop()
	// flush is armed by the first input after a line and disarmed by the
	// line, so an idle helper never wakes up on its own.
	flush := time.NewTimer(flushEvery)
	flush.Stop()
	armed := false

	for {
		select {
		case <-ctx.Done():
			return t.flush()
		case <-ready.C:
			return errors.New("the input hook did not start within 5s (" + hookHint + ")")
		case <-flush.C:
			armed = false
			if err := t.flush(); err != nil {
				return err
			}
		case e, ok := <-events:
			if !ok {
				return errors.New("the input hook stopped")
			}
			switch e.Kind {
			case hook.HookEnabled:
				ready.Stop()
				if _, err := w.Write(wire.ReadyLine); err != nil {
					return err
				}
				continue
			case hook.HookDisabled:
				_ = t.flush()
				return errors.New("the input hook was disabled")
			case hook.KeyDown:
				if !keys.press(e.Keycode) {
					continue
				}
				t.counts.Keys++
			case hook.KeyUp:
				keys.release(e.Keycode)
				continue
			case hook.MouseDown:
				t.counts.Clicks++
			case hook.MouseWheel:
				t.counts.Scrolls++
			case hook.MouseMove, hook.MouseDrag:
				t.counts.Moves++
			default:
				continue
			}
			if !armed {
				armed = true
				flush.Reset(flushEvery)
			}
		}
	}
}

// repeatFilter tells a real key press from auto-repeat, which sends more
// presses without releases while a key is held (X and Windows' low-level
// keyboard hook alike): holding a key is one key press, not 25 a second. It is state-based, not time-based, because
// XRecord may hand the repeats over in one burst when the key is released
// and gohook stamps events on delivery. A release lost to gohook's full
// buffer costs at most one uncounted press of that key. The key code stays
// in this set inside the helper and never reaches the output.
type repeatFilter map[uint16]struct{}

// press records key code going down and reports whether it is a new press.
func (f repeatFilter) press(code uint16) bool {
	if _, held := f[code]; held {
		return false
	}
	f[code] = struct{}{}
	return true
}

func (f repeatFilter) release(code uint16) { delete(f, code) }
