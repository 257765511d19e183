package wayland

import (
	"fmt"

	"github.com/godbus/dbus/v5"
)

// lockScreen is one desktop's lock screen service: GNOME Shell's
// org.gnome.ScreenSaver, and the freedesktop one KDE's screen locker
// offers. Both have GetActive and the signal ActiveChanged(b).
type lockScreen struct {
	name  string
	path  dbus.ObjectPath
	iface string
}

var lockScreens = []lockScreen{
	{"org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"},
	{"org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"},
}

// LockWatch follows the desktop's lock screen.
type LockWatch struct {
	conn    *dbus.Conn
	signals chan *dbus.Signal
}

// WatchLock reports the lock screen showing (on(true)) and going
// (on(false)), and on(true) at once when it shows already. Only the lock
// screen's owner is believed. ErrNotOffered when the session bus has
// neither lock screen service. on is called on the watcher's goroutine.
func WatchLock(on func(locked bool)) (*LockWatch, error) {
	conn, err := sessionBus()
	if err != nil {
		return nil, err
	}
	for _, l := range lockScreens {
		from, err := owner(conn, l.name)
		if err != nil {
			continue
		}
		w := &LockWatch{conn: conn, signals: make(chan *dbus.Signal, signalBuffer)}
		conn.Signal(w.signals)
		if err := conn.AddMatchSignal(dbus.WithMatchInterface(l.iface), dbus.WithMatchMember("ActiveChanged")); err != nil {
			conn.Close()
			return nil, fmt.Errorf("lock screen: %w", err)
		}
		var locked bool
		if conn.Object(l.name, l.path).Call(l.iface+".GetActive", 0).Store(&locked) == nil && locked {
			on(true)
		}
		go func() {
			for s := range w.signals {
				if s.Name == l.iface+".ActiveChanged" && s.Sender == from && len(s.Body) == 1 {
					if locked, ok := s.Body[0].(bool); ok {
						on(locked)
					}
				}
			}
		}()
		return w, nil
	}
	conn.Close()
	return nil, fmt.Errorf("%w: no lock screen on the session bus", ErrNotOffered)
}

// Close ends the connection.
func (w *LockWatch) Close() error { return w.conn.Close() }
