package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
	"github.com/workdiary/workdiary/internal/tracker"
)

const trackUsage = `--contract ID --memo TEXT [--for DURATION] [--clock-speed N] [--idle keep|discard] [--webcam] [--detach]
       workdiary track stop [--json]
       workdiary track status [--contract ID] [--json]

When the desktop app or ` + "`workdiary serve`" + ` owns the data folder, track asks it to
record and follows the session here until Ctrl-C, SIGTERM or --for ends it
(--detach: return at once and leave it running). Otherwise track owns the
folder itself until it stops. ` + "`track stop`" + ` and ` + "`track status`" + ` reach whichever runs.`

func runTrack(ctx context.Context, e *env, args []string) error {
	if len(args) > 0 {
		switch args[0] {
		case "stop", "status":
			return runTrackQuery(ctx, e, args[0], args[1:])
		}
	}
	fs := newFlags(e, "track", trackUsage)
	var p node.TrackParams
	fs.StringVar(&p.Contract, "contract", "", "contract ID (or a unique prefix)")
	fs.StringVar(&p.Memo, "memo", "", "what you are working on (required)")
	fs.DurationVar(&p.For, "for", 0, "stop after this long (default: until Ctrl-C or track stop)")
	fs.Float64Var(&p.ClockSpeed, "clock-speed", 1, "demos and tests: run the clock N times faster (needs --for)")
	idle := fs.String("idle", "keep", "what to do with idle time when input returns: keep, discard, or ask (answer on standard input; needs the folder to itself)")
	fs.BoolVar(&p.Webcam, "webcam", false, "opt in to a webcam photo with each screenshot, where the contract allows it")
	detach := fs.Bool("detach", false, "leave the session running in the desktop app or serve and return at once")
	if err := parse(fs, args); err != nil {
		return err
	}
	if p.Contract == "" {
		fs.Usage()
		return fmt.Errorf("track needs --contract ID")
	}
	var decider tracker.IdleDecider
	switch *idle {
	case "keep", "discard":
		p.KeepIdle = *idle == "keep"
	case "ask":
		decider = newTerminalIdle(e.stdout, os.Stdin)
	default:
		return fmt.Errorf("--idle is %q: want keep, discard or ask", *idle)
	}
	if p.ClockSpeed != 1 && p.For <= 0 {
		return fmt.Errorf("--clock-speed needs --for, so that the run ends at the present moment")
	}
	home, err := e.resolveHome()
	if err != nil {
		return err
	}
	if decider != nil {
		// The question goes to this terminal, so this process must be
		// the one that tracks.
		err := trackHere(ctx, e, home, p, decider)
		if errors.Is(err, owner.ErrBusy) {
			return fmt.Errorf("--idle ask puts the idle question on this terminal, so it needs the data folder to itself, and %w: use --idle keep or discard to track through it", err)
		}
		return err
	}
	return startTrack(ctx, e, home, p, *detach)
}

// startTrack asks the folder's owner to track, or else owns the folder and
// tracks here.
func startTrack(ctx context.Context, e *env, home string, p node.TrackParams, detach bool) error {
	deadline := time.Now().Add(owner.Patience)
	for {
		r, err := node.OpTrackStart.Ask(ctx, home, p)
		if err == nil {
			return followOwner(ctx, e, home, r, detach)
		}
		if !errors.Is(err, owner.ErrNoOwner) {
			return err
		}
		if detach {
			return fmt.Errorf("--detach leaves the session to the desktop app or `workdiary serve`, and neither runs on %s: start one, or track without --detach", home)
		}
		err = trackHere(ctx, e, home, p, nil)
		// An owner that is starting holds the folder before it listens:
		// ask it once it does.
		if !errors.Is(err, owner.ErrBusy) || time.Now().After(deadline) {
			return err
		}
		select {
		case <-ctx.Done():
			return err
		case <-time.After(100 * time.Millisecond):
		}
	}
}

// trackHere owns the folder for the session: it answers the control socket
// (`track stop`, `track status`, `diary` …) and runs the node, so approvals
// made meanwhile sync at once.
func trackHere(ctx context.Context, e *env, home string, p node.TrackParams, decider tracker.IdleDecider) error {
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
	if err := n.StartNetwork(ctx, n.UserNetOptions(nil)); err != nil {
		fmt.Fprintln(e.stderr, "workdiary: not syncing while tracking:", err)
	} else {
		n.SyncEvery(ctx, time.Minute, nil)
	}
	s, err := n.StartTracking(ctx, p, nil, func(ev tracker.Event) { printEvent(e, ev) }, decider)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "Tracking %q (%s) — memo: %s. Ctrl-C stops.\n", s.Contract.Title, s.Contract.ID[:12], s.Memo)
	select {
	case <-ctx.Done():
	case <-waitCh(s):
	}
	return stopped(e, s.Stop())
}

// stopped prints how a session ended: the weekly limit is a normal end.
func stopped(e *env, err error) error {
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

func waitCh(s *node.Session) <-chan struct{} {
	ch := make(chan struct{})
	go func() { _ = s.Wait(); close(ch) }()
	return ch
}

func printEvent(e *env, ev tracker.Event) {
	switch ev.Kind {
	case tracker.MinuteRecorded, node.TrackStarted, node.TrackStopped:
		return // a line a minute would drown the rest; start and end have their own
	case tracker.ScreenshotTaken:
		fmt.Fprintf(e.stdout, "%s  screenshot taken (segment %s)\n", ev.At.Format("15:04:05"), ev.Segment[len(ev.Segment)-10:])
	default:
		fmt.Fprintf(e.stdout, "%s  %s: %s\n", ev.At.Format("15:04:05"), ev.Kind, ev.Message)
	}
}
