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
// named by the client window inside it. Requests go out in batches: a
// desktop has dozens of top-level windows, and Shoot lists them twice.
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
	wmState, _ := xproto.InternAtom(conn, true, 8, "WM_STATE").Reply()
	attrs := make([]xproto.GetWindowAttributesCookie, len(tree.Children))
	geoms := make([]xproto.GetGeometryCookie, len(tree.Children))
	for i, w := range tree.Children {
		attrs[i] = xproto.GetWindowAttributes(conn, w)
		geoms[i] = xproto.GetGeometry(conn, xproto.Drawable(w))
	}
	shaped := shapeQuery(conn)
	var out []placed
	for i, top := range tree.Children {
		a, aErr := attrs[i].Reply()
		g, gErr := geoms[i].Reply()
		if aErr != nil || gErr != nil || a.MapState != xproto.MapStateViewable || a.Class == xproto.WindowClassInputOnly {
			continue // closed meanwhile, unmapped, or draws nothing
		}
		x, y := int(g.X), int(g.Y) // children of the root: root coordinates
		bw := 2 * int(g.BorderWidth)
		out = append(out, placed{
			Window: owner(conn, clientOf(conn, top, wmState)),
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
// window itself when it carries WM_STATE (set by the window manager on each
// client it manages) or WM_CLASS (set by the client, managed or not), else
// the first window below it with WM_STATE, searched breadth-first.
func clientOf(conn *xgb.Conn, top xproto.Window, wmState *xproto.InternAtomReply) xproto.Window {
	if _, ok := withProperty(conn, []xproto.Window{top}, xproto.AtomWmClass); ok || wmState == nil || wmState.Atom == xproto.AtomNone {
		return top // no window manager ever ran: nothing below has WM_STATE
	}
	level := []xproto.Window{top}
	for depth := 0; depth <= clientDepth && len(level) > 0; depth++ {
		if w, ok := withProperty(conn, level, wmState.Atom); ok {
			return w
		}
		trees := make([]xproto.QueryTreeCookie, len(level))
		for i, w := range level {
			trees[i] = xproto.QueryTree(conn, w)
		}
		var next []xproto.Window
		for _, c := range trees {
			if t, err := c.Reply(); err == nil {
				next = append(next, t.Children...)
			}
		}
		level = next
	}
	return top
}

// withProperty returns the first of wins that has the property, asking
// for all of them at once.
func withProperty(conn *xgb.Conn, wins []xproto.Window, prop xproto.Atom) (xproto.Window, bool) {
	cs := make([]xproto.GetPropertyCookie, len(wins))
	for i, w := range wins {
		cs[i] = xproto.GetProperty(conn, false, w, prop, xproto.GetPropertyTypeAny, 0, 0)
	}
	var found xproto.Window
	ok := false
	for i, c := range cs { // read every reply: each one is owed
		if r, err := c.Reply(); err == nil && r.Type != xproto.AtomNone && !ok {
			found, ok = wins[i], true
		}
	}
	return found, ok
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
