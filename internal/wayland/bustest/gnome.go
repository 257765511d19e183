//go:build linux

package bustest

import (
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/workdiary/workdiary/internal/notify/notifytest"
)

// GNOME is a stand-in for GNOME Shell on the session bus. As in GNOME,
// one connection owns the idle monitor, the lock screen and the window
// list. Its idle time runs on the wall clock from the last Input.
type GNOME struct {
	conn *dbus.Conn

	mu        sync.Mutex
	lastInput time.Time
	next      uint32
	idle      map[uint32]*idleWatch
	active    map[uint32]string // user-active watches: id → owner
	lock      *LockScreen
	refuse    bool
	windows   map[uint64]Window
}

type idleWatch struct {
	owner    string
	interval time.Duration
	timer    *time.Timer
}

// Window is one window of GNOME Shell's list.
type Window struct {
	AppID   string // "org.gnome.TextEditor.desktop", or "window:N" for no app
	WMClass string
	Title   string
	Focused bool
}

// ServeGNOME owns GNOME Shell's names on the bus at addr. With idle false
// it offers no idle monitor (and no lock screen), with windows false no
// window list.
func ServeGNOME(t testing.TB, addr string, idle, windows bool) *GNOME {
	t.Helper()
	g := &GNOME{conn: notifytest.Conn(t, addr), lastInput: time.Now(), idle: map[uint32]*idleWatch{},
		active: map[uint32]string{}, windows: map[uint64]Window{}}
	serve := func(obj any, path dbus.ObjectPath, iface, name string, methods map[string]string) {
		t.Helper()
		if err := g.conn.ExportWithMap(obj, methods, path, iface); err != nil {
			t.Fatal(err)
		}
		if r, err := g.conn.RequestName(name, dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
			t.Fatalf("own %s: %v %v", name, r, err)
		}
	}
	if idle {
		serve(idleMonitor{g}, "/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor", "org.gnome.Mutter.IdleMonitor", nil)
		g.lock = serveLock(t, g.conn, "org.gnome.ScreenSaver", "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver")
	}
	if windows {
		serve(introspect{g}, "/org/gnome/Shell/Introspect", "org.gnome.Shell.Introspect", "org.gnome.Shell.Introspect", nil)
	}
	t.Cleanup(func() {
		g.mu.Lock()
		defer g.mu.Unlock()
		for _, w := range g.idle {
			w.timer.Stop()
		}
	})
	return g
}

// idleMonitor is org.gnome.Mutter.IdleMonitor as mutter's
// data/dbus-interfaces/org.gnome.Mutter.IdleMonitor.xml defines it.
type idleMonitor struct{ g *GNOME }

// GetIdletime is the time since the last input, in milliseconds.
func (m idleMonitor) GetIdletime() (uint64, *dbus.Error) {
	m.g.mu.Lock()
	defer m.g.mu.Unlock()
	return uint64(time.Since(m.g.lastInput) / time.Millisecond), nil
}

// AddIdleWatch fires WatchFired each time the idle time reaches interval
// (milliseconds), until removed.
func (m idleMonitor) AddIdleWatch(sender dbus.Sender, interval uint64) (uint32, *dbus.Error) {
	g := m.g
	g.mu.Lock()
	defer g.mu.Unlock()
	g.next++
	id := g.next
	w := &idleWatch{owner: string(sender), interval: time.Duration(interval) * time.Millisecond}
	wait := w.interval - time.Since(g.lastInput)
	if wait <= 0 {
		wait = 24 * time.Hour // already idle longer: it fires when the idle time next reaches interval
	}
	w.timer = time.AfterFunc(wait, func() { g.fire(id, w.owner) })
	g.idle[id] = w
	return id, nil
}

// AddUserActiveWatch fires WatchFired once, at the next input.
func (m idleMonitor) AddUserActiveWatch(sender dbus.Sender) (uint32, *dbus.Error) {
	m.g.mu.Lock()
	defer m.g.mu.Unlock()
	m.g.next++
	m.g.active[m.g.next] = string(sender)
	return m.g.next, nil
}

// RemoveWatch removes a watch of either kind.
func (m idleMonitor) RemoveWatch(id uint32) *dbus.Error {
	m.g.mu.Lock()
	defer m.g.mu.Unlock()
	if w := m.g.idle[id]; w != nil {
		w.timer.Stop()
	}
	delete(m.g.idle, id)
	delete(m.g.active, id)
	return nil
}

// ResetIdletime counts as input.
func (m idleMonitor) ResetIdletime() *dbus.Error {
	m.g.Input()
	return nil
}

// fire sends WatchFired to the watch's owner alone, as mutter does
// (g_dbus_connection_emit_signal with the owner as destination).
func (g *GNOME) fire(id uint32, to string) {
	msg := &dbus.Message{Type: dbus.TypeSignal, Headers: map[dbus.HeaderField]dbus.Variant{
		dbus.FieldPath:        dbus.MakeVariant(dbus.ObjectPath("/org/gnome/Mutter/IdleMonitor/Core")),
		dbus.FieldInterface:   dbus.MakeVariant("org.gnome.Mutter.IdleMonitor"),
		dbus.FieldMember:      dbus.MakeVariant("WatchFired"),
		dbus.FieldDestination: dbus.MakeVariant(to),
		dbus.FieldSignature:   dbus.MakeVariant(dbus.SignatureOf(id)),
	}, Body: []any{id}}
	g.conn.Send(msg, nil)
}

// Input is a key press: user-active watches fire (and are gone), idle
// watches start counting again.
func (g *GNOME) Input() {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.lastInput = time.Now()
	for id, to := range g.active {
		g.fire(id, to)
		delete(g.active, id)
	}
	for _, w := range g.idle {
		w.timer.Reset(w.interval)
	}
}

// Lock shows or hides GNOME's lock screen. Unlocking takes input (the
// password), which the idle monitor sees too.
func (g *GNOME) Lock(t testing.TB, locked bool) {
	t.Helper()
	if !locked {
		g.Input()
	}
	g.lock.Set(t, locked)
}

// Quit gives up GNOME Shell's names, as a shell that ends or restarts.
func (g *GNOME) Quit(t testing.TB) {
	t.Helper()
	for _, name := range []string{"org.gnome.Mutter.IdleMonitor", "org.gnome.ScreenSaver", "org.gnome.Shell.Introspect"} {
		g.conn.ReleaseName(name)
	}
}

// introspect is org.gnome.Shell.Introspect's GetWindows as gnome-shell's
// js/misc/introspect.js answers it: a{ta{sv}} of window ID to properties,
// or org.freedesktop.DBus.Error.AccessDenied where introspection is off.
type introspect struct{ g *GNOME }

// GetWindows lists the windows.
func (i introspect) GetWindows() (map[uint64]map[string]dbus.Variant, *dbus.Error) {
	i.g.mu.Lock()
	defer i.g.mu.Unlock()
	if i.g.refuse {
		return nil, dbus.NewError("org.freedesktop.DBus.Error.AccessDenied", []any{"App introspection not allowed"})
	}
	out := map[uint64]map[string]dbus.Variant{}
	for id, w := range i.g.windows {
		p := map[string]dbus.Variant{"app-id": dbus.MakeVariant(w.AppID), "client-type": dbus.MakeVariant(uint32(0)),
			"is-hidden": dbus.MakeVariant(false), "has-focus": dbus.MakeVariant(w.Focused),
			"width": dbus.MakeVariant(uint32(800)), "height": dbus.MakeVariant(uint32(600))}
		if w.Title != "" {
			p["title"] = dbus.MakeVariant(w.Title)
		}
		if w.WMClass != "" {
			p["wm-class"] = dbus.MakeVariant(w.WMClass)
		}
		out[id] = p
	}
	return out, nil
}

// SetWindows replaces the window list.
func (g *GNOME) SetWindows(ws ...Window) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.windows = map[uint64]Window{}
	for i, w := range ws {
		g.windows[uint64(1000+i)] = w
	}
}

// Refuse makes GetWindows refuse, as GNOME Shell does unless
// introspection is switched on.
func (g *GNOME) Refuse(refuse bool) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.refuse = refuse
}
