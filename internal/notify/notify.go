package notify

import (
	"context"
	"errors"
	"time"
)

// ErrUnsupported: this platform or session has no notification server.
var ErrUnsupported = errors.New("desktop notifications are not available here")

// Closed is the answer of a notification closed without an action: it
// expired, the person dismissed it, or the server went away.
const Closed = ""

// Action is a button on a notification: Key comes back when it is chosen.
type Action struct {
	Key   string
	Label string
}

// Note is one notification.
type Note struct {
	Summary string
	Body    string
	Actions []Action
	// Urgent notes stay until answered on servers that honour urgency.
	Urgent bool
	// Expire closes the note after this long (0: the server decides).
	Expire time.Duration
}

// Sender shows notes; Notifier is the D-Bus one.
type Sender interface {
	// Show shows n; onAction (may be nil) gets the key of the action
	// chosen, or Closed, once.
	Show(n Note, onAction func(key string)) error
	// Ask shows n and waits for its answer: the action chosen, or Closed
	// when it was closed without one or ctx ended (the note is then
	// withdrawn).
	Ask(ctx context.Context, n Note) (string, error)
}
