package app

import (
	"errors"
	"time"

	"github.com/wailsapp/wails/v2/pkg/options"
	"github.com/wailsapp/wails/v2/pkg/runtime"
	"github.com/workdiary/workdiary/internal/agent"
	"github.com/workdiary/workdiary/internal/tray"
)

// startTray shows the tray icon while the window is open, as the agent
// does while it is closed: Start and Stop, Open (brings the window
// forward) and Quit, which quits without leaving an agent.
func (a *App) startTray() {
	t, err := tray.Start(a.trayState(), tray.Actions{
		Start: func() {
			h := agent.LastSession(a.n(), a.carry)
			if h.Contract == "" {
				return
			}
			if _, err := a.Tracker.Start(h.Contract, h.Memo); err != nil {
				a.n().Logger().Warn("tray start", "err", err)
			}
		},
		Stop: func() { _, _ = a.Tracker.Stop() },
		Open: func() { a.FocusSecond(options.SecondInstanceData{}) },
		Quit: func() {
			a.quitting.Store(true)
			runtime.Quit(a.ctx)
		},
	})
	if err != nil {
		if !errors.Is(err, tray.ErrUnsupported) {
			a.n().Logger().Warn("no tray icon", "err", err)
		}
		return
	}
	a.trayMu.Lock()
	a.tray = t
	a.trayMu.Unlock()
	a.goBg(a.refreshEachMinute)
}

func (a *App) trayState() tray.State {
	return agent.TrayState(a.n(), agent.LastSession(a.n(), a.carry), "")
}

// refreshTray shows the node's state in the tray. It asks the node, so
// callers that may hold one of its locks (a tracker event) call it on a
// goroutine of its own.
func (a *App) refreshTray() {
	a.trayMu.Lock()
	defer a.trayMu.Unlock()
	if a.tray != nil {
		a.tray.Set(a.trayState())
	}
}

func (a *App) refreshEachMinute() {
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		select {
		case <-a.ctx.Done():
			return
		case <-tick.C:
			a.refreshTray()
		}
	}
}

// closeTray removes the icon before the folder closes: the agent shows its
// own.
func (a *App) closeTray() {
	a.trayMu.Lock()
	defer a.trayMu.Unlock()
	if a.tray != nil {
		a.tray.Close()
		a.tray = nil
	}
}
