package node

import (
	"io"
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

// waylandDesk is what a Wayland desktop tells the tracker: active minutes
// from its idle notifications, and the window in front, each where the
// desktop offers it. The compositor's own protocols come first
// (ext-idle-notify, wlroots' window list); GNOME keeps both on the session
// bus instead (Mutter's idle monitor, GNOME Shell's window list), and KDE
// the window in front (through a KWin script).
type waylandDesk struct {
	presence *presenceSource // nil: no idle notifications
	windows  frontWindows    // nil: no window list
	closers  []io.Closer
}

// frontWindows is a desktop's answer to "which window is in front": the
// compositor's window list, GNOME Shell's, or KWin's script. ok is false
// when no window is, or nobody can tell.
type frontWindows interface {
	Active() (wayland.Toplevel, bool)
}

// windowLister is a frontWindows that also lists every open window; nil
// when the desktop did not answer.
type windowLister interface {
	All() []wayland.Toplevel
}

// openWayland asks the session's desktop for what it offers; nil when the
// session is not Wayland (the session's limits then stand as detected).
func openWayland(desk session.Session, clk clock.Clock) *waylandDesk {
	if desk.Kind != session.Wayland {
		return nil
	}
	w := &waylandDesk{}
	p := &presenceSource{p: activity.NewPresence(clk.Now(), idleTimeout)}
	report := func(idle bool) { p.report(idle, clk.Now()) }
	if cl, err := wayland.Connect(); err == nil {
		w.closers = append(w.closers, cl)
		if _, err := cl.WatchIdle(idleTimeout, report); err == nil {
			w.presence = p
		}
		if t, err := cl.WatchToplevels(); err == nil {
			w.windows = t
		}
	}
	if w.presence == nil {
		if b, err := wayland.WatchBusIdle(idleTimeout, report); err == nil {
			w.presence = p
			w.closers = append(w.closers, b)
		}
	}
	if w.presence != nil {
		// The lock screen ends presence when it shows, and typing the
		// password into it is not work.
		if l, err := wayland.WatchLock(func(locked bool) { p.lock(locked, clk.Now()) }); err == nil {
			w.closers = append(w.closers, l)
		}
	}
	if w.windows == nil {
		w.windows = w.busWindows()
	}
	return w
}

// busWindows is the window in front from the session bus: KWin's script
// on KDE, GNOME Shell's window list where GNOME Shell tells it.
func (w *waylandDesk) busWindows() frontWindows {
	if k, err := wayland.WatchKWin(); err == nil {
		w.closers = append(w.closers, k)
		return k
	}
	if s, err := wayland.ConnectShellWindows(); err == nil {
		w.closers = append(w.closers, s)
		return s
	}
	return nil
}

// detectDesk is the session as tracking would find it now: detected, and
// on Wayland with what the desktop offers (asked on short connections).
func detectDesk() session.Session {
	desk := session.Detect()
	if desk.Kind != session.Wayland {
		return desk
	}
	idle, windows := false, false
	if cl, err := wayland.Connect(); err == nil {
		idle, windows = cl.OffersIdle(), cl.OffersToplevels()
		cl.Close()
	}
	busIdle, busWindows := wayland.BusOffers()
	if idle || busIdle {
		desk.Limits = desk.Limits&^ledger.LimitNoInputCounts | ledger.LimitIdleNotified
	}
	if windows || busWindows {
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
	if w == nil {
		return
	}
	for _, c := range w.closers {
		c.Close()
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

func (s *presenceSource) lock(locked bool, at time.Time) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.p.Locked(at, locked)
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

// toplevelWindows is the tracker's Windows from the desktop's window in
// front. An app ID names the app ("org.keepassxc.KeePassXC"); its last
// part is also matched against the exclusion list, as an X app's class
// would be. No window in front is an empty window, which the diary shows
// as "unknown".
type toplevelWindows struct{ t frontWindows }

func (w toplevelWindows) ActiveWindow() (capture.Window, error) {
	tl, _ := w.t.Active()
	return windowOf(tl), nil
}

func windowOf(tl wayland.Toplevel) capture.Window {
	class := tl.Class
	if tl.AppID == "" {
		// A window matched to no app (GNOME Shell's "window:N") is named by
		// its class where it has one.
		return capture.Window{Process: class, Title: tl.Title, Instance: class, Class: class}
	}
	if class == "" {
		class = tl.AppID
	}
	short := tl.AppID[strings.LastIndexByte(tl.AppID, '.')+1:]
	return capture.Window{Process: tl.AppID, Title: tl.Title, Instance: short, Class: class}
}

// portalCamera takes screenshots through the desktop portal, knowing the
// windows from the desktop where it tells them.
func (w *waylandDesk) portalCamera() capture.Portal {
	if w == nil || w.windows == nil {
		return capture.Portal{}
	}
	t := w.windows
	p := capture.Portal{Front: func() (capture.Window, bool) { tl, ok := t.Active(); return windowOf(tl), ok }}
	if l, ok := t.(windowLister); ok {
		p.Open = func() []capture.Window {
			all := l.All()
			if all == nil {
				return nil
			}
			out := make([]capture.Window, 0, len(all))
			for _, tl := range all {
				out = append(out, windowOf(tl))
			}
			return out
		}
	}
	return p
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
