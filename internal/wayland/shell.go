package wayland

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/godbus/dbus/v5"
)

// GNOME Shell's window list on the session bus, as gnome-shell's
// data/dbus-interfaces/org.gnome.Shell.Introspect.xml defines it.
const (
	shellName   = "org.gnome.Shell.Introspect"
	shellPath   = "/org/gnome/Shell/Introspect"
	shellIface  = "org.gnome.Shell.Introspect"
	accessError = "org.freedesktop.DBus.Error.AccessDenied"
	// askTimeout bounds one question to the desktop: a busy shell
	// makes the window in front unknown for a sample, not late.
	askTimeout = 2 * time.Second
)

// ShellWindows reads GNOME Shell's window list
// (org.gnome.Shell.Introspect.GetWindows) at each question. GNOME Shell
// answers only a few callers: from GNOME 41 on only its own portal
// backends, unless it runs in its unsafe mode (before, where the
// org.gnome.shell "introspect" setting was on). Elsewhere it refuses, and
// the window in front is unknown, never guessed.
type ShellWindows struct {
	conn *dbus.Conn
	obj  dbus.BusObject
}

// ConnectShellWindows opens GNOME Shell's window list: ErrNotOffered when
// the session has no GNOME Shell, ErrRefused when it will not tell.
func ConnectShellWindows() (*ShellWindows, error) {
	conn, err := sessionBus()
	if err != nil {
		return nil, err
	}
	if _, err := owner(conn, shellName); err != nil {
		conn.Close()
		return nil, err
	}
	w := &ShellWindows{conn: conn, obj: conn.Object(shellName, shellPath)}
	if _, err := w.list(); err != nil {
		conn.Close()
		return nil, err
	}
	return w, nil
}

// Close ends the connection.
func (w *ShellWindows) Close() error { return w.conn.Close() }

// shellWindow is one entry of GetWindows: the window's properties.
type shellWindow struct {
	top     Toplevel
	focused bool
}

func (w *ShellWindows) list() ([]shellWindow, error) {
	ctx, cancel := context.WithTimeout(context.Background(), askTimeout)
	defer cancel()
	var raw map[uint64]map[string]dbus.Variant
	if err := w.obj.CallWithContext(ctx, shellIface+".GetWindows", 0).Store(&raw); err != nil {
		var de dbus.Error
		if errors.As(err, &de) && de.Name == accessError {
			return nil, fmt.Errorf("%w: GNOME Shell's window list (%s)", ErrRefused, de.Error())
		}
		return nil, fmt.Errorf("GNOME Shell's window list: %w", err)
	}
	out := make([]shellWindow, 0, len(raw))
	for _, props := range raw {
		str := func(key string) string { s, _ := props[key].Value().(string); return s }
		focused, _ := props["has-focus"].Value().(bool)
		out = append(out, shellWindow{top: Toplevel{AppID: shellAppID(str("app-id")), Title: str("title"), Class: str("wm-class")}, focused: focused})
	}
	return out, nil
}

// shellAppID is the app's ID without ".desktop"; GNOME Shell names a
// window it matched to no app "window:N", which is no app at all.
func shellAppID(id string) string {
	if strings.HasPrefix(id, "window:") {
		return ""
	}
	return strings.TrimSuffix(id, ".desktop")
}

// Active returns the focused window; ok is false when none is, or when
// GNOME Shell did not answer.
func (w *ShellWindows) Active() (Toplevel, bool) {
	list, err := w.list()
	if err != nil {
		return Toplevel{}, false
	}
	for _, sw := range list {
		if sw.focused {
			return sw.top, true
		}
	}
	return Toplevel{}, false
}

// All returns every window GNOME Shell lists; nil when it did not answer.
func (w *ShellWindows) All() []Toplevel {
	list, err := w.list()
	if err != nil {
		return nil
	}
	out := make([]Toplevel, 0, len(list))
	for _, sw := range list {
		out = append(out, sw.top)
	}
	return out
}
