package app

import (
	"context"
	"sync"
	"time"
)

// processStart is about when this process began: package variables are
// set before main runs, a few milliseconds after exec.
var processStart = time.Now()

// readyOnce logs the first screen shown, once per process.
var readyOnce sync.Once

// Shown is the window's signal that its first screen has rendered with
// its data (the frontend calls it once). The time from the process's
// start is logged at debug level: how long a person waits for a usable
// window, cold or reopened from the tray (`make bench`, P12).
func (s *AgentAPI) Shown(screen string) {
	readyOnce.Do(func() {
		s.app.n().Logger().Debug("window ready", "screen", screen, "ms", SinceStart())
	})
}

// SinceStart is the time from the process's start, for the debug log.
func SinceStart() int64 { return time.Since(processStart).Milliseconds() }

// DomReady is Wails' OnDomReady: the page has loaded; its first screen
// comes once the bindings have answered.
func (a *App) DomReady(context.Context) {
	if n := a.n(); n != nil {
		n.Logger().Debug("page loaded", "ms", SinceStart())
	}
}
