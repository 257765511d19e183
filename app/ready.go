package app

import (
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
		s.app.n().Logger().Debug("window ready", "screen", screen, "ms", time.Since(processStart).Milliseconds())
	})
}
