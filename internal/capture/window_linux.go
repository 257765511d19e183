//go:build linux && cgo

package capture

import (
	"encoding/binary"
	"fmt"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// activeWindow reads the EWMH properties the window manager publishes:
// _NET_ACTIVE_WINDOW on the root, then the window's _NET_WM_NAME (or
// WM_NAME), _NET_WM_PID and WM_CLASS.
//
// It talks X directly over one xgb connection instead of using robotgo's
// GetTitle/GetPid: robotgo caches these atoms with only-if-exists on first
// use, so a tracker started before the window manager would never see an
// active window, and it opens about six X connections and leaks a C string
// per sample.
func activeWindow() (Window, error) {
	conn, err := connect()
	if err != nil {
		return Window{}, err
	}
	defer conn.Close()
	root := xproto.Setup(conn).DefaultScreen(conn).Root
	v, err := property(conn, root, "_NET_ACTIVE_WINDOW")
	if err != nil {
		return Window{}, err
	}
	if len(v) < 4 || binary.LittleEndian.Uint32(v) == 0 {
		return Window{}, ErrNoActiveWindow
	}
	win := xproto.Window(binary.LittleEndian.Uint32(v))
	w := owner(conn, win)
	w.Title = title(conn, win)
	return w, nil
}

// title reads _NET_WM_NAME (UTF-8 by EWMH) and, when a window sets none,
// WM_NAME decoded by its actual type: Xlib writes COMPOUND_TEXT for any
// title beyond Latin-1, and reading that as Latin-1 shows its escape
// sequences in the diary.
func title(conn *xgb.Conn, win xproto.Window) string {
	for _, name := range []string{"_NET_WM_NAME", "WM_NAME"} {
		v, typ, _ := typedProperty(conn, win, name)
		if len(v) > 0 {
			return decodeText(typ, v)
		}
	}
	return ""
}

// property returns a window property's raw bytes, or nil when the atom or
// the property does not exist. xgb always announces little-endian byte
// order in its connection setup, so 32-bit values arrive little-endian.
func property(conn *xgb.Conn, win xproto.Window, name string) ([]byte, error) {
	v, _, err := typedProperty(conn, win, name)
	return v, err
}

// typedProperty is property with the name of the property's type.
func typedProperty(conn *xgb.Conn, win xproto.Window, name string) ([]byte, string, error) {
	a, err := xproto.InternAtom(conn, true, uint16(len(name)), name).Reply()
	if err != nil {
		return nil, "", fmt.Errorf("intern %s: %w", name, err)
	}
	if a.Atom == xproto.AtomNone {
		return nil, "", nil
	}
	r, err := xproto.GetProperty(conn, false, win, a.Atom, xproto.GetPropertyTypeAny, 0, 1<<12).Reply()
	if err != nil || len(r.Value) == 0 {
		// The window can close between the two requests: not an error
		// worth failing a sample for.
		return nil, "", nil
	}
	return r.Value, atomName(conn, r.Type), nil
}

// atomName returns an atom's name, or "" when the server does not know it.
func atomName(conn *xgb.Conn, a xproto.Atom) string {
	if a == xproto.AtomString {
		return typeString
	}
	r, err := xproto.GetAtomName(conn, a).Reply()
	if err != nil {
		return ""
	}
	return r.Name
}
