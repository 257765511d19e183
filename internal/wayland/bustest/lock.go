//go:build linux

package bustest

import (
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"

	"github.com/workdiary/workdiary/internal/notify/notifytest"
)

// LockScreen is a desktop's lock screen service: GetActive, and
// ActiveChanged(b) to everyone when it shows or goes (gnome-shell's
// org.gnome.ScreenSaver, and org.freedesktop.ScreenSaver as KDE's screen
// locker offers it).
type LockScreen struct {
	conn  *dbus.Conn
	path  dbus.ObjectPath
	iface string

	mu     sync.Mutex
	locked bool
}

// ServeKDELock owns org.freedesktop.ScreenSaver on the bus at addr.
func ServeKDELock(t testing.TB, addr string) *LockScreen {
	t.Helper()
	return serveLock(t, notifytest.Conn(t, addr), "org.freedesktop.ScreenSaver", "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver")
}

func serveLock(t testing.TB, conn *dbus.Conn, name string, path dbus.ObjectPath, iface string) *LockScreen {
	t.Helper()
	l := &LockScreen{conn: conn, path: path, iface: iface}
	if err := conn.Export(screenSaver{l}, path, iface); err != nil {
		t.Fatal(err)
	}
	if r, err := conn.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own %s: %v %v", name, r, err)
	}
	return l
}

// screenSaver is the exported object: GetActive alone.
type screenSaver struct{ l *LockScreen }

// GetActive reports whether the lock screen shows.
func (s screenSaver) GetActive() (bool, *dbus.Error) {
	s.l.mu.Lock()
	defer s.l.mu.Unlock()
	return s.l.locked, nil
}

// Set shows or hides the lock screen.
func (l *LockScreen) Set(t testing.TB, locked bool) {
	t.Helper()
	l.mu.Lock()
	l.locked = locked
	l.mu.Unlock()
	if err := l.conn.Emit(l.path, l.iface+".ActiveChanged", locked); err != nil {
		t.Fatal(err)
	}
}
