package owner

import (
	"context"
	"fmt"
	"os"
	"time"
)

// Patience is how long a starting owner waits for a command that has the
// folder for a moment (a script's `workdiary id`) to finish with it.
const Patience = 10 * time.Second

// quiet is how long a starting owner waits before it says what it waits for.
const quiet = time.Second

// AcquireOwner takes the folder for a long-running owner: the desktop app,
// `serve`, a foreground `track`. Another owner is refused at once, with a
// message naming it. A short command holding the folder is waited for, up
// to Patience or until ctx ends, polling with a growing pause; waiting is
// told, once, what is waited for when that takes longer than a second
// (nil: wait silently).
func AcquireOwner(ctx context.Context, dir, role string, waiting func(holder string)) (*Lock, error) {
	ctx, cancel := context.WithTimeout(ctx, Patience)
	defer cancel()
	me := holder{PID: os.Getpid(), Role: role, Owner: true}
	start := time.Now()
	pause, told := 10*time.Millisecond, false
	var seen holder // the owner the lock file named on the last try
	for {
		l, other, held, err := tryAcquire(dir, me)
		if err == nil || !held {
			return l, err
		}
		// A record naming an owner may be one a crashed owner left, which
		// a command that has just taken the lock has not yet replaced: it
		// counts only when its process lives and a second look agrees.
		live := other.ok && other.Owner && alive(other.PID)
		if live && other.holder == seen {
			return nil, err
		}
		seen = holder{}
		if live {
			seen = other.holder
		}
		if !told && waiting != nil && time.Since(start) > quiet {
			told = true
			waiting(describe(other))
		}
		select {
		case <-ctx.Done():
			return nil, err
		case <-time.After(pause):
		}
		pause = min(2*pause, 250*time.Millisecond)
	}
}

// describe names a holder for "waiting for …" (it may not have written its
// record yet).
func describe(h holderInfo) string {
	if !h.ok {
		return "another Workdiary command"
	}
	return fmt.Sprintf("%s (pid %d)", h.Role, h.PID)
}
