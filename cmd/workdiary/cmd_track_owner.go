package main

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
	"github.com/workdiary/workdiary/internal/tracker"
)

// followEvery is how often a `track` following the owner's session asks
// how it goes.
const followEvery = time.Second

// followOwner follows a session the folder's owner runs, printing its
// events, until it ends; Ctrl-C or SIGTERM asks the owner to stop it.
func followOwner(ctx context.Context, e *env, home string, r node.TrackReport, detach bool) error {
	fmt.Fprintf(e.stdout, "Tracking %q (%s) in %s — memo: %s.", r.Title, r.Contract[:12], r.Owner, r.Memo)
	if detach {
		fmt.Fprintln(e.stdout, " `workdiary track stop` stops it.")
		return nil
	}
	fmt.Fprintln(e.stdout, " Ctrl-C stops.")
	q := node.TrackQuery{Session: r.Started, Since: r.Next}
	tick := time.NewTicker(followEvery)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return stopOwnerSession(ctx, e, home, q)
		case <-tick.C:
		}
		cur, err := node.OpTrackStatus.Ask(ctx, home, q)
		switch {
		case ctx.Err() != nil:
			continue
		case errors.Is(err, owner.ErrNoOwner):
			return fmt.Errorf("%s has stopped, and the session with it (what it recorded is kept)", r.Owner)
		case err != nil:
			return err
		}
		q.Since = cur.Next
		if done, err := printOwnerEvents(e, cur.Events); done {
			return err
		}
		if !cur.Running || !cur.Started.Equal(q.Session) {
			fmt.Fprintln(e.stdout, "Stopped.")
			return nil
		}
	}
}

// stopOwnerSession asks the owner to stop the session this `track`
// follows; the signal that got here has ended ctx, so the request has its
// own time.
func stopOwnerSession(ctx context.Context, e *env, home string, q node.TrackQuery) error {
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 30*time.Second)
	defer cancel()
	r, err := node.OpTrackStop.Ask(sctx, home, q)
	if err != nil {
		return fmt.Errorf("ask the owner to stop tracking: %w", err)
	}
	if done, err := printOwnerEvents(e, r.Events); done {
		return err
	}
	fmt.Fprintln(e.stdout, "Stopped.")
	return nil
}

// printOwnerEvents prints a followed session's events; done says the
// session ended, and err why when that was a failure.
func printOwnerEvents(e *env, evs []node.TrackEvent) (done bool, err error) {
	for _, ev := range evs {
		if ev.Kind != node.TrackStopped {
			printEvent(e, tracker.Event{Kind: ev.Kind, At: ev.At, Segment: ev.Segment, Message: ev.Message})
			continue
		}
		switch {
		case ev.Message == "":
			fmt.Fprintln(e.stdout, "Stopped.")
		case strings.Contains(ev.Message, tracker.ErrLimitReached.Error()):
			fmt.Fprintln(e.stdout, "Stopped: the weekly limit is reached.")
		default:
			return true, fmt.Errorf("tracking stopped: %s", ev.Message)
		}
		return true, nil
	}
	return false, nil
}

// runTrackQuery is `track stop` and `track status`: one request to
// whichever process tracks (or to the folder itself when none runs).
func runTrackQuery(ctx context.Context, e *env, sub string, args []string) error {
	op, usage := node.OpTrackStatus, "[--contract ID] [--json]"
	if sub == "stop" {
		op, usage = node.OpTrackStop, "[--json]"
	}
	fs := newFlags(e, "track "+sub, usage)
	var q node.TrackQuery
	if sub == "status" {
		fs.StringVar(&q.Contract, "contract", "", "report this contract's hours (default: the running session's)")
	}
	asJSON := fs.Bool("json", false, "print JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	r, err := do(ctx, e, "workdiary track "+sub, op, q)
	if err != nil {
		return err
	}
	switch {
	case *asJSON:
		return e.printJSON(r)
	case sub == "stop" && r.Stopped:
		fmt.Fprintf(e.stdout, "Stopped tracking %q (%s) in %s: today %s.\n", r.Title, r.Contract[:12], r.Owner, minutes(r.TodayMinutes))
	case sub == "stop":
		fmt.Fprintln(e.stdout, "Not tracking.")
	default:
		printTrackStatus(e, r)
	}
	return nil
}

func printTrackStatus(e *env, r node.TrackReport) {
	if r.Running {
		fmt.Fprintf(e.stdout, "Tracking %q (%s) in %s since %s — memo: %s.\n", r.Title, r.Contract[:12], r.Owner,
			r.Started.Local().Format("15:04"), r.Memo)
		if !r.Ends.IsZero() {
			fmt.Fprintf(e.stdout, "Ends by itself at %s.\n", r.Ends.Local().Format("15:04"))
		}
	} else {
		fmt.Fprintln(e.stdout, "Not tracking.")
	}
	if r.Contract == "" {
		return
	}
	limit := ""
	if r.WeeklyLimitHours > 0 {
		limit = fmt.Sprintf(" of %d h", r.WeeklyLimitHours)
	}
	fmt.Fprintf(e.stdout, "%q: today %s, this week %s%s.\n", r.Title, minutes(r.TodayMinutes), minutes(r.WeekMinutes), limit)
	if r.SessionLimited {
		// What this desktop session keeps from the tracker, and what to do.
		for _, line := range r.SessionLines {
			fmt.Fprintln(e.stdout, line+".")
		}
	}
}

// minutes says a number of minutes as hours and minutes.
func minutes(m int) string {
	if m < 60 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %02d min", m/60, m%60)
}
