package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/agent"
	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/owner"
	"github.com/workdiary/workdiary/internal/relocate"
)

const moveRole = "workdiary move-folder"

// runMoveFolder moves the data folder to an empty or new folder and
// remembers it, so that the app, the agent, the login entry and commands
// without --home find it there. With the desktop app open the app moves
// it (its Settings do the same); a resident agent gives the folder up for
// the move and is started again in the new place with its session;
// `serve` or a foreground `track` must be stopped first.
func runMoveFolder(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "move-folder", "DIR [--json]")
	asJSON := fs.Bool("json", false, "print JSON")
	var to string
	if len(args) > 0 && args[0] != "" && args[0][0] != '-' {
		to, args = args[0], args[1:]
	}
	if err := parse(fs, args); err != nil {
		return err
	}
	if to == "" {
		return fmt.Errorf("%w: move-folder takes the new place, an empty or new folder", errUsage)
	}
	home, err := e.resolveHome()
	if err != nil {
		return err
	}
	r, err := moveFolder(ctx, e, home, to)
	if err != nil {
		return err
	}
	r.ChosenBy = config.ChosenBy(e.home)
	if *asJSON {
		return e.printJSON(r)
	}
	how := "renamed on the same disk"
	if r.Copy {
		how = "copied to the other disk, checked file by file, and removed from the old place"
	}
	fmt.Fprintf(e.stdout, "Moved the data folder from %s to %s (%s).\nWorkdiary finds it there without --home.\n", r.From, r.To, how)
	switch r.ChosenBy {
	case "--home":
		fmt.Fprintf(e.stdout, "From now on leave --home out, or give --home %s.\n", r.To)
	case config.EnvHome:
		fmt.Fprintf(e.stdout, "%s still names the old place: set it to %s, or unset it.\n", config.EnvHome, r.To)
	}
	return nil
}

func moveFolder(ctx context.Context, e *env, home, to string) (node.MoveResult, error) {
	r, err := node.OpFolderMove.Ask(ctx, home, node.MoveParams{To: to})
	switch {
	case err == nil:
		fmt.Fprintf(e.stderr, "workdiary: the desktop app is moving the data folder to %s…\n", r.To)
		return r, waitMoved(ctx, r)
	case errors.Is(err, owner.ErrNoOwner):
		return moveClosed(ctx, home, to, node.Handover{}, false)
	case !errors.Is(err, node.ErrNoMove):
		return r, err
	}
	// The agent gives the folder up for the move, saying what it recorded.
	h, err := node.OpAgentHandover.Ask(ctx, home, node.None{})
	if errors.Is(err, node.ErrNoHandover) {
		return node.MoveResult{}, fmt.Errorf("%w: stop it (`workdiary serve` or a `workdiary track` in a terminal) and move the folder then", node.ErrNoMove)
	}
	if err != nil && !errors.Is(err, owner.ErrNoOwner) {
		return node.MoveResult{}, err
	}
	return moveClosed(ctx, home, to, h, err == nil)
}

// moveClosed moves the folder nobody has open, holding it meanwhile; an
// agent that gave it up (hadAgent) is started again in whichever place
// the folder ends up, carrying on its session.
func moveClosed(ctx context.Context, home, to string, h node.Handover, hadAgent bool) (node.MoveResult, error) {
	lock, err := acquireAfterAgent(ctx, home, hadAgent)
	if err != nil {
		return node.MoveResult{}, err
	}
	plan, moveErr := relocate.Mover{}.Move(home, to)
	lock.Release()
	now := home
	if moveErr == nil || errors.Is(moveErr, relocate.ErrOldLeft) {
		now = plan.To
		if err := config.Remember(plan.To); err != nil {
			moveErr = errors.Join(moveErr, err)
		}
	}
	if hadAgent {
		if err := agent.Launch(selfProgram(), now, h, !h.Clock.IsZero()); err != nil {
			moveErr = errors.Join(moveErr, fmt.Errorf("start the agent again on %s: %w", now, err))
		}
	} else if now != home {
		moveErr = errors.Join(moveErr, rewriteAutostart(now))
	}
	return node.ResultOf(plan), moveErr
}

// acquireAfterAgent takes the folder; after a handover the agent still
// holds it while it closes, so a busy folder is tried again for a while.
func acquireAfterAgent(ctx context.Context, home string, hadAgent bool) (*owner.Lock, error) {
	deadline := time.Now().Add(owner.Patience)
	for {
		lock, err := owner.Acquire(home, moveRole)
		if err == nil || !hadAgent || !errors.Is(err, owner.ErrBusy) || time.Now().After(deadline) {
			return lock, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// rewriteAutostart points the login entry, if it is on, at the new place.
func rewriteAutostart(home string) error {
	n, err := node.Open(home, moveRole, clock.Real{})
	if err != nil {
		return err
	}
	defer n.Close()
	return agent.ApplyAutostart(n, agentCommand(home))
}

// waitMoved waits for the desktop app to own the folder in its new place.
// A failed move leaves the folder where it was, with the app on it; the
// app says why in its window.
func waitMoved(ctx context.Context, r node.MoveResult) error {
	ctx, cancel := context.WithTimeout(ctx, 2*time.Hour)
	defer cancel()
	answers := func(dir string) bool {
		_, err := node.OpOwnerStatus.Ask(ctx, dir, node.None{})
		return err == nil
	}
	closed := false // the app has let the old place go
	for {
		if answers(r.To) {
			return nil
		}
		if !answers(r.From) {
			closed = true
		} else if closed {
			return fmt.Errorf("the desktop app could not move the data folder: it stays in %s (Settings in the app says why)", r.From)
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("the desktop app did not finish moving the data folder to %s: %w", r.To, ctx.Err())
		case <-time.After(100 * time.Millisecond):
		}
	}
}
