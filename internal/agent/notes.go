package agent

import (
	"context"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/notify"
	"github.com/workdiary/workdiary/internal/tracker"
)

// Actions on the notifications, as their keys come back over D-Bus.
const (
	ActionOpen    = "open"
	ActionKeep    = "keep"
	ActionDiscard = "discard"
)

// on reports whether notifications of kind are switched on.
func (a *Agent) on(kind string) bool {
	return a.Node.Config().Notifications.On(kind)
}

// tell shows a note with no actions; failures are logged, not fatal.
func (a *Agent) tell(n notify.Note) {
	if a.Notes == nil {
		return
	}
	if err := a.Notes.Show(n, nil); err != nil {
		a.log.Warn("notification", "err", err)
	}
}

// screenshot is the notice of each screenshot, as the oDesk app gave it,
// with a way to open that segment. A contract that requires screenshots
// (every session that takes them) keeps it on: the switch in Settings
// then has no effect, and Settings says so.
func (a *Agent) screenshot(e tracker.Event) {
	if a.Notes == nil {
		return
	}
	s := a.Node.Tracking()
	required := s != nil // screenshots are taken only where the terms require them
	if !required && !a.on("screenshot") {
		return
	}
	body := "At " + e.At.Local().Format("15:04")
	if s != nil {
		body += " on " + s.Contract.Title + " (" + s.Memo + ")"
	}
	segment := e.Segment
	err := a.Notes.Show(notify.Note{Summary: "Screenshot taken", Body: body + ". You can delete or blur it in your diary before approving.",
		Actions: []notify.Action{{Key: ActionOpen, Label: "Open segment"}}, Expire: 8 * time.Second},
		func(key string) {
			if key == ActionOpen {
				a.open(segment)
			}
		})
	if err != nil {
		a.log.Warn("notification", "err", err)
	}
}

// limit warns at 90 % and at 100 % of the weekly limit.
func (a *Agent) limit(e tracker.Event) {
	if !a.on("limit") {
		return
	}
	summary := "90 % of the weekly limit"
	if e.Kind == tracker.LimitReached {
		summary = "Weekly limit reached"
	}
	a.tell(notify.Note{Summary: summary, Body: e.Message, Urgent: e.Kind == tracker.LimitReached})
}

// idleAsker asks the idle question as a notification with Keep and
// Discard. Closed without an answer (dismissed, expired) is Discard, the
// safe side: idle time is not billed unless the person says so. Without a
// notification server, or with the kind switched off, the question stays
// open in the diary until the window asks it.
type idleAsker struct{ a *Agent }

func (q idleAsker) KeepIdle(ctx context.Context, from, to time.Time) (keep, answered bool) {
	a := q.a
	if a.Notes == nil || !a.on("idle") {
		<-ctx.Done()
		return false, false
	}
	key, err := a.Notes.Ask(ctx, notify.Note{
		Summary: "You were idle",
		Body: fmt.Sprintf("No input from %s to %s. Keep this time in your diary, or discard it?",
			from.Local().Format("15:04"), to.Local().Format("15:04")),
		Actions: []notify.Action{{Key: ActionKeep, Label: "Keep"}, {Key: ActionDiscard, Label: "Discard"}},
		Urgent:  true,
	})
	if err != nil {
		a.log.Warn("idle question", "err", err)
		<-ctx.Done()
		return false, false
	}
	if ctx.Err() != nil {
		return false, false
	}
	return key == ActionKeep, true
}
