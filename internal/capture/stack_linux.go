//go:build linux && cgo

package capture

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"image"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/shape"
	"github.com/jezek/xgb/xproto"
)

// clientDepth bounds the search for the client window inside a window
// manager's frame (openbox: frame → client; others add a layer or two).
const clientDepth = 4

// visibleWindows lists the viewable top-level windows, bottom to top: the
// children of the root window in the server's stacking order. Each is a
// window manager's frame (decorations and title bar included) or an
// unmanaged window (a menu, a tooltip, any window when no manager runs),
// named by the client window inside it.
func visibleWindows() ([]placed, error) {
	conn, err := connect()
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	root := xproto.Setup(conn).DefaultScreen(conn).Root
	tree, err := xproto.QueryTree(conn, root).Reply()
	if err != nil {
		return nil, fmt.Errorf("list windows: %w", err)
	}
	shaped := shapeQuery(conn)
	var out []placed
	for _, top := range tree.Children {
		a, err := xproto.GetWindowAttributes(conn, top).Reply()
		if err != nil || a.MapState != xproto.MapStateViewable || a.Class == xproto.WindowClassInputOnly {
			continue // closed meanwhile, unmapped, or draws nothing
		}
		g, err := xproto.GetGeometry(conn, xproto.Drawable(top)).Reply()
		if err != nil {
			continue
		}
		x, y := int(g.X), int(g.Y) // children of the root: root coordinates
		bw := 2 * int(g.BorderWidth)
		out = append(out, placed{
			Window: owner(conn, clientOf(conn, top)),
			Rect:   image.Rect(x, y, x+int(g.Width)+bw, y+int(g.Height)+bw),
			// A translucent (32-bit, composited) or shaped window lets what
			// is under it show through: it hides nothing.
			Opaque: g.Depth != 32 && !shaped(top),
		})
	}
	return out, nil
}

// shapeQuery returns whether a window has a non-rectangular bounding shape;
// without the SHAPE extension every window is a rectangle.
func shapeQuery(conn *xgb.Conn) func(xproto.Window) bool {
	if shape.Init(conn) != nil {
		return func(xproto.Window) bool { return false }
	}
	return func(w xproto.Window) bool {
		r, err := shape.QueryExtents(conn, w).Reply()
		return err != nil || r.BoundingShaped
	}
}

// clientOf finds the application's window under a top-level window: the
// window itself when it carries the client's properties, else the first
// window below it with WM_STATE (set by the window manager on each client
// it manages), searched breadth-first.
func clientOf(conn *xgb.Conn, top xproto.Window) xproto.Window {
	for _, name := range []string{"WM_STATE", "_NET_WM_PID", "WM_CLASS"} {
		if v, _ := property(conn, top, name); len(v) > 0 {
			return top
		}
	}
	level := []xproto.Window{top}
	for depth := 0; depth < clientDepth && len(level) > 0; depth++ {
		var next []xproto.Window
		for _, w := range level {
			t, err := xproto.QueryTree(conn, w).Reply()
			if err != nil {
				continue
			}
			for _, c := range t.Children {
				if v, _ := property(conn, c, "WM_STATE"); len(v) > 0 {
					return c
				}
			}
			next = append(next, t.Children...)
		}
		level = next
	}
	return top
}

// owner names the app behind a client window: its process (from
// _NET_WM_PID) and its WM_CLASS.
func owner(conn *xgb.Conn, win xproto.Window) Window {
	w := Window{}
	if p, _ := property(conn, win, "_NET_WM_PID"); len(p) >= 4 {
		w.PID = int(binary.LittleEndian.Uint32(p))
		w.Process = processName(w.PID)
	}
	if c, _ := property(conn, win, "WM_CLASS"); len(c) > 0 {
		inst, class, _ := bytes.Cut(bytes.TrimRight(c, "\x00"), []byte{0})
		w.Instance, w.Class = latin1(inst), latin1(class)
	}
	return w
}
