package node

import (
	"strings"
	"sync"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/session"
	"github.com/workdiary/workdiary/internal/wayland"
)

// idleTimeout is how long without input the compositor waits before it
// reports the person idle. Short, so a minute's activity is close to what
// input counts would say; a minute is active when input came in it.
var idleTimeout = 10 * time.Second

// waylandDesk is what a Wayland compositor tells the tracker: active
// minutes from its idle notifications, and the window in front from its
// window list, each where the compositor offers it.
type waylandDesk struct {
	cl       *wayland.Client
	presence *presenceSource    // nil: no idle notifications
	windows  *wayland.Toplevels // nil: no window list
}

// openWayland connects to the session's compositor; nil when the session
// is not Wayland or the compositor cannot be reached (the session's limits
// then stand as detected).
func openWayland(desk session.Session, clk clock.Clock) *waylandDesk {
	if desk.Kind != session.Wayland {
		return nil
	}
	cl, err := wayland.Connect()
	if err != nil {
		return nil
	}
	w := &waylandDesk{cl: cl}
	p := &presenceSource{p: activity.NewPresence(clk.Now(), idleTimeout)}
	if _, err := cl.WatchIdle(idleTimeout, func(idle bool) { p.report(idle, clk.Now()) }); err == nil {
		w.presence = p
	}
	if t, err := cl.WatchToplevels(); err == nil {
		w.windows = t
	}
	return w
}

// detectDesk is the session as tracking would find it now: detected, and
// on Wayland with what the compositor offers (asked on a short connection).
func detectDesk() session.Session {
	desk := session.Detect()
	if desk.Kind != session.Wayland {
		return desk
	}
	cl, err := wayland.Connect()
	if err != nil {
		return withPortal(desk)
	}
	defer cl.Close()
	if cl.OffersIdle() {
		desk.Limits = desk.Limits&^ledger.LimitNoInputCounts | ledger.LimitIdleNotified
	}
	if cl.OffersToplevels() {
		desk.Limits &^= ledger.LimitNoApps
	}
	return withPortal(desk)
}

// withPortal clears the screenshot limit where the session bus has a
// screenshot portal; a shot it then refuses still marks its segment.
func withPortal(desk session.Session) session.Session {
	if capture.PortalOffered() {
		desk.Limits &^= ledger.LimitNoScreenshots
	}
	return desk
}

// limits is what the session still cannot record with this compositor's
// help.
func (w *waylandDesk) limits(l ledger.Limits) ledger.Limits {
	if w == nil {
		return l
	}
	if w.presence != nil {
		l = l&^ledger.LimitNoInputCounts | ledger.LimitIdleNotified
	}
	if w.windows != nil {
		l &^= ledger.LimitNoApps
	}
	return l
}

func (w *waylandDesk) close() {
	if w != nil {
		w.cl.Close()
	}
}

// presenceSource is the tracker's Activity from idle notifications, which
// arrive on the connection's goroutine.
type presenceSource struct {
	mu sync.Mutex
	p  *activity.Presence
}

func (s *presenceSource) report(idle bool, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if idle {
		s.p.Idle(at)
	} else {
		s.p.Resumed(at)
	}
}

func (s *presenceSource) Flush(now time.Time) []activity.Minute {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.p.Flush(now)
}

func (s *presenceSource) Current(now time.Time) activity.Minute {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.p.Current(now)
}

func (s *presenceSource) stop() {}

// toplevelWindows is the tracker's Windows from the compositor's list. An
// app ID names the app ("org.keepassxc.KeePassXC"); its last part is also
// matched against the exclusion list, as an X app's class would be. No
// window in front is an empty window, which the diary shows as "unknown".
type toplevelWindows struct{ t *wayland.Toplevels }

func (w toplevelWindows) ActiveWindow() (capture.Window, error) {
	tl, _ := w.t.Active()
	return windowOf(tl), nil
}

func windowOf(tl wayland.Toplevel) capture.Window {
	if tl.AppID == "" {
		return capture.Window{Title: tl.Title}
	}
	short := tl.AppID[strings.LastIndexByte(tl.AppID, '.')+1:]
	return capture.Window{Process: tl.AppID, Title: tl.Title, Instance: short, Class: tl.AppID}
}

// portalCamera takes screenshots through the desktop portal, knowing the
// windows from the compositor's list where it has one.
func (w *waylandDesk) portalCamera() capture.Portal {
	if w == nil || w.windows == nil {
		return capture.Portal{}
	}
	t := w.windows
	return capture.Portal{
		Front: func() (capture.Window, bool) { tl, ok := t.Active(); return windowOf(tl), ok },
		Open: func() []capture.Window {
			var out []capture.Window
			for _, tl := range t.All() {
				out = append(out, windowOf(tl))
			}
			return out
		},
	}
}

// unseenWindows is the X window sampling on a Wayland desktop without a
// window list: a native window in front, which X cannot see, is the app
// "unknown", never the last X app and never no app at all.
type unseenWindows struct{ x windows }

func (w unseenWindows) ActiveWindow() (capture.Window, error) {
	win, err := w.x.ActiveWindow()
	if err != nil {
		return capture.Window{}, nil
	}
	return win, nil
}
