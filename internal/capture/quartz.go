package capture

import (
	"errors"
	"image"
	"math"
	"slices"
)

// The macOS side of capture in pure Go: what the Quartz window list says
// about windows, which of them is in front, and how a CGImage's bytes
// become RGBA. The calls into CoreGraphics are in the _darwin files; this
// file has no build constraint so that its tests run on every platform.

// ErrScreenRecording means macOS has not allowed this program to record the
// screen. Without the permission macOS does not refuse a capture: it hands
// back the desktop picture without any window, and window titles go
// missing, so the permission is checked before every capture.
var ErrScreenRecording = errors.New("macOS does not allow Workdiary to record the screen: " +
	"turn Workdiary on in System Settings → Privacy & Security → Screen Recording " +
	"(for the command line, the terminal app it runs in), then start tracking again")

// Keys of a window's dictionary in CGWindowListCopyWindowInfo's answer
// (CGWindow.h). Each constant's value is its own name, so the dictionary
// can be read with strings made here. kCGWindowName is there only with the
// Screen Recording permission (macOS 10.15 and later) or for one's own
// windows.
const (
	keyOwnerName = "kCGWindowOwnerName"
	keyOwnerPID  = "kCGWindowOwnerPID"
	keyName      = "kCGWindowName"
	keyLayer     = "kCGWindowLayer"
	keyAlpha     = "kCGWindowAlpha"
	keyBounds    = "kCGWindowBounds"
)

// cgDict reads one CoreFoundation dictionary of the window list. The macOS
// build reads real CFDictionaries; tests use a map. A value that is missing
// or of another type is reported as missing.
type cgDict interface {
	String(key string) (string, bool)
	Number(key string) (float64, bool)
	Dict(key string) (cgDict, bool)
}

// cgWindow is one entry of the window list.
type cgWindow struct {
	Owner  string  // the app's name as the Dock shows it, e.g. "Safari"
	PID    int     // the owning process
	Title  string  // empty without the Screen Recording permission
	Layer  int     // 0 for ordinary app windows; menus, the menu bar and the Dock sit higher
	Alpha  float64 // 1 for an opaque window
	Bounds image.Rectangle
}

// parseWindow reads a window list entry. Bounds are in the global display
// space, in points, with the origin at the top left of the main display:
// the space CGDisplayBounds and the capture use too. ok is false for an
// entry without an owner or bounds, which names no app or covers nothing.
func parseWindow(d cgDict) (w cgWindow, ok bool) {
	pid, okPID := d.Number(keyOwnerPID)
	b, okBounds := d.Dict(keyBounds)
	if !okPID || !okBounds {
		return cgWindow{}, false
	}
	r, okRect := parseRect(b)
	if !okRect {
		return cgWindow{}, false
	}
	w = cgWindow{PID: int(pid), Bounds: r, Alpha: 1}
	w.Owner, _ = d.String(keyOwnerName)
	w.Title, _ = d.String(keyName)
	if l, ok := d.Number(keyLayer); ok {
		w.Layer = int(l)
	}
	if a, ok := d.Number(keyAlpha); ok {
		w.Alpha = a
	}
	return w, true
}

// parseRect reads a CGRect's dictionary form (CGRectCreateDictionaryRepresentation:
// X, Y, Width, Height), rounded outward to whole points so that a hidden
// area never falls short of its window.
func parseRect(d cgDict) (image.Rectangle, bool) {
	var v [4]float64
	for i, k := range []string{"X", "Y", "Width", "Height"} {
		f, ok := d.Number(k)
		if !ok || math.IsNaN(f) || math.IsInf(f, 0) || math.Abs(f) > 1<<24 {
			return image.Rectangle{}, false
		}
		v[i] = f
	}
	if v[2] < 0 || v[3] < 0 {
		return image.Rectangle{}, false
	}
	return image.Rect(int(math.Floor(v[0])), int(math.Floor(v[1])),
		int(math.Ceil(v[0]+v[2])), int(math.Ceil(v[1]+v[3]))), true
}

// macWindow is a window list entry as capture reports windows: the app's
// name stands where Linux has the executable's, because it is the name a
// Mac user knows and types into the exclusion list; exe, the executable's
// file name (for apps like Visual Studio Code, "Electron"), is the
// instance name, so an entry naming either matches.
func macWindow(w cgWindow, exe string) Window {
	return Window{Process: w.Owner, Title: w.Title, PID: w.PID, Instance: exe}
}

// windowServer owns the system's own windows (the menu bar, status
// indicators); it is never the app someone works in.
const windowServer = "Window Server"

// front picks the window in front from a window list ordered front to
// back, as CGWindowListCopyWindowInfo orders it: the first ordinary
// (layer 0) window that is drawn. Menus, the menu bar, the Dock and
// floating panels sit on higher layers and are never "the app in front".
// ok is false when no app window is on screen.
func front(ws []cgWindow) (cgWindow, bool) {
	for _, w := range ws {
		if w.Layer == 0 && w.Alpha > 0 && !w.Bounds.Empty() && w.Owner != windowServer {
			return w, true
		}
	}
	return cgWindow{}, false
}

// stacked turns a front-to-back window list into placed windows bottom to
// top, as hiddenAreas wants them. exe names a process's executable.
//
// Only an ordinary window at full opacity counts as hiding what is below
// it. Everything on other layers may be translucent or shaped (the Dock,
// the menu bar, Control Center, notifications), and counting one of those
// as opaque would let an excluded window below it show through.
func stacked(ws []cgWindow, exe func(pid int) string) []placed {
	out := make([]placed, 0, len(ws))
	for _, w := range slices.Backward(ws) {
		if w.Alpha <= 0 || w.Bounds.Empty() {
			continue
		}
		out = append(out, placed{
			Window: macWindow(w, exe(w.PID)),
			Rect:   w.Bounds,
			Opaque: w.Layer == 0 && w.Alpha >= 1,
		})
	}
	return out
}
