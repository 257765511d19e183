package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/tracker"
)

func runTrack(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "track", "--contract ID --memo TEXT [--for DURATION] [--clock-speed N] [--idle keep|discard]")
	var p node.TrackParams
	fs.StringVar(&p.Contract, "contract", "", "contract ID (or a unique prefix)")
	fs.StringVar(&p.Memo, "memo", "", "what you are working on (required)")
	dur := fs.Duration("for", 0, "stop after this long (default: until Ctrl-C)")
	speed := fs.Float64("clock-speed", 1, "demos and tests: run the clock N times faster (needs --for)")
	idle := fs.String("idle", "keep", "what to do with idle time when input returns: keep or discard")
	fs.BoolVar(&p.Webcam, "webcam", false, "opt in to a webcam photo with each screenshot, where the contract allows it")
	if err := parse(fs, args); err != nil {
		return err
	}
	if p.Contract == "" {
		fs.Usage()
		return fmt.Errorf("track needs --contract ID")
	}
	switch *idle {
	case "keep", "discard":
		p.KeepIdle = *idle == "keep"
	default:
		return fmt.Errorf("--idle is %q: want keep or discard", *idle)
	}
	if *speed != 1 && *dur <= 0 {
		return fmt.Errorf("--clock-speed needs --for, so that the run ends at the present moment")
	}
	home, err := e.resolveHome()
	if err != nil {
		return err
	}
	n, err := node.OpenOwner(ctx, home, "workdiary track", clock.Real{}, waitingNotice(e, home))
	if err != nil {
		return err
	}
	defer n.Close()
	// Every minute is a write: on a full or read-only disk, say only that.
	if err := n.Store().Writable(); err != nil {
		return fmt.Errorf("cannot track: %w", err)
	}
	go func() { _ = n.Serve(ctx) }()
	// The tracker owns the folder, so it also runs the node: approvals made
	// meanwhile (e.g. from the app or `workdiary approve`) sync at once.
	if err := n.StartNetwork(ctx, n.UserNetOptions(nil)); err != nil {
		fmt.Fprintln(e.stderr, "workdiary: not syncing while tracking:", err)
	} else {
		n.SyncEvery(ctx, time.Minute, nil)
	}

	clk, wall := trackClock(*dur, *speed)
	// The run ends when the clock reaches the present, however long the
	// start below takes (the input helper, the first capture): at a fast
	// clock speed a tenth of a second of start-up is minutes of diary.
	end := time.Now().Add(wall)
	s, err := n.StartTracking(ctx, p, clk, func(ev tracker.Event) { printEvent(e, ev) }, nil)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Tracking %q (%s) — memo: %s. Ctrl-C stops.\n", s.Contract.Title, s.Contract.ID[:12], s.Memo)
	if wall > 0 {
		select {
		case <-time.After(time.Until(end)):
		case <-ctx.Done():
		case <-waitCh(s):
		}
	} else {
		select {
		case <-ctx.Done():
		case <-waitCh(s):
		}
	}
	err = s.Stop()
	if errors.Is(err, tracker.ErrLimitReached) {
		fmt.Fprintln(e.stdout, "Stopped: the weekly limit is reached.")
		return nil
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, "Stopped.")
	return nil
}

// trackClock is the wall clock, or for --clock-speed a clock that starts
// in the past and runs fast enough to reach the present when --for ends.
// It also returns how long the run takes in wall time.
func trackClock(dur time.Duration, speed float64) (clock.Clock, time.Duration) {
	if speed == 1 || speed <= 0 {
		return clock.Real{}, dur
	}
	wall := time.Duration(float64(dur) / speed)
	return clock.NewScaled(time.Now().UTC().Add(-dur), speed), wall
}

func waitCh(s *node.Session) <-chan struct{} {
	ch := make(chan struct{})
	go func() { _ = s.Wait(); close(ch) }()
	return ch
}

func printEvent(e *env, ev tracker.Event) {
	switch ev.Kind {
	case tracker.MinuteRecorded:
		return // one line a minute would drown the rest
	case tracker.ScreenshotTaken:
		fmt.Fprintf(e.stdout, "%s  screenshot taken (segment %s)\n", ev.At.Format("15:04:05"), ev.Segment[len(ev.Segment)-10:])
	default:
		fmt.Fprintf(e.stdout, "%s  %s: %s\n", ev.At.Format("15:04:05"), ev.Kind, ev.Message)
	}
}
