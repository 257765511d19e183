//go:build linux && cgo

package capture

import (
	"encoding/binary"
	"fmt"
	"unicode/utf8"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"
)

// activeWindow reads the EWMH properties the window manager publishes:
// _NET_ACTIVE_WINDOW on the root, then the window's _NET_WM_NAME (or
// WM_NAME) and _NET_WM_PID.
//
// It talks X directly over one xgb connection instead of using robotgo's
// GetTitle/GetPid: robotgo caches these atoms with only-if-exists on first
// use, so a tracker started before the window manager would never see an
// active window, and it opens about six X connections and leaks a C string
// per sample.
func activeWindow() (Window, error) {
	if err := checkDisplay(); err != nil {
		return Window{}, err
	}
	conn, err := xgb.NewConnDisplay("")
	if err != nil {
		return Window{}, fmt.Errorf("%w: %v", ErrNoDisplay, err)
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
	w := Window{}
	if t, _ := property(conn, win, "_NET_WM_NAME"); utf8.Valid(t) && len(t) > 0 {
		w.Title = string(t)
	} else if t, _ := property(conn, win, "WM_NAME"); len(t) > 0 {
		w.Title = latin1(t)
	}
	if p, _ := property(conn, win, "_NET_WM_PID"); len(p) >= 4 {
		w.PID = int(binary.LittleEndian.Uint32(p))
		w.Process = processName(w.PID)
	}
	return w, nil
}

// property returns a window property's raw bytes, or nil when the atom or
// the property does not exist. xgb always announces little-endian byte
// order in its connection setup, so 32-bit values arrive little-endian.
func property(conn *xgb.Conn, win xproto.Window, name string) ([]byte, error) {
	a, err := xproto.InternAtom(conn, true, uint16(len(name)), name).Reply()
	if err != nil {
		return nil, fmt.Errorf("intern %s: %w", name, err)
	}
	if a.Atom == xproto.AtomNone {
		return nil, nil
	}
	r, err := xproto.GetProperty(conn, false, win, a.Atom, xproto.GetPropertyTypeAny, 0, 1<<12).Reply()
	if err != nil {
		// The window can close between the two requests: not an error
		// worth failing a sample for.
		return nil, nil
	}
	return r.Value, nil
}

// latin1 converts an ICCCM STRING (ISO-8859-1) to UTF-8.
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}
