package capture

import (
	"image"
	"math"
	"slices"
	"testing"
)

// mapDict stands in for a CFDictionary of the window list: strings,
// numbers (float64 or int) and nested dictionaries.
type mapDict map[string]any

func (m mapDict) String(k string) (string, bool) { s, ok := m[k].(string); return s, ok }

func (m mapDict) Number(k string) (float64, bool) {
	switch v := m[k].(type) {
	case float64:
		return v, true
	case int:
		return float64(v), true
	}
	return 0, false
}

func (m mapDict) Dict(k string) (cgDict, bool) {
	d, ok := m[k].(mapDict)
	if !ok {
		return nil, false
	}
	return d, true
}

func rectDict(x, y, w, h float64) mapDict { return mapDict{"X": x, "Y": y, "Width": w, "Height": h} }

// entry is a window list entry as macOS prints one (CFShow of an element
// of CGWindowListCopyWindowInfo's answer), without the keys capture ignores.
func entry(owner string, pid, layer int, alpha float64, b mapDict) mapDict {
	return mapDict{keyOwnerName: owner, keyOwnerPID: pid, keyLayer: layer, keyAlpha: alpha, keyBounds: b,
		"kCGWindowNumber": 151, "kCGWindowIsOnscreen": true, "kCGWindowSharingState": 1}
}

func TestParseWindow(t *testing.T) {
	notes := entry("Notes", 796, 0, 1, rectDict(296, 203, 1350, 656))
	notes[keyName] = "Groceries"
	for _, tc := range []struct {
		name string
		d    mapDict
		want cgWindow
		ok   bool
	}{
		{"full entry", notes, cgWindow{Owner: "Notes", PID: 796, Title: "Groceries", Alpha: 1, Bounds: image.Rect(296, 203, 1646, 859)}, true},
		{"no title without Screen Recording", entry("Safari", 12, 0, 1, rectDict(0, 25, 800, 600)),
			cgWindow{Owner: "Safari", PID: 12, Alpha: 1, Bounds: image.Rect(0, 25, 800, 625)}, true},
		{"menu bar layer, display left of the main one", entry("Window Server", 150, 24, 1, rectDict(-1440, -12.5, 1440, 24.2)),
			cgWindow{Owner: "Window Server", PID: 150, Layer: 24, Alpha: 1, Bounds: image.Rect(-1440, -13, 0, 12)}, true},
		{"missing layer and alpha", mapDict{keyOwnerPID: 5, keyBounds: rectDict(1, 2, 3, 4)},
			cgWindow{PID: 5, Alpha: 1, Bounds: image.Rect(1, 2, 4, 6)}, true},
		{"title of another type", mapDict{keyOwnerPID: 5, keyName: 42, keyBounds: rectDict(0, 0, 1, 1)},
			cgWindow{PID: 5, Alpha: 1, Bounds: image.Rect(0, 0, 1, 1)}, true},
		{"no pid", mapDict{keyOwnerName: "x", keyBounds: rectDict(0, 0, 1, 1)}, cgWindow{}, false},
		{"no bounds", mapDict{keyOwnerPID: 1}, cgWindow{}, false},
		{"bounds not a dictionary", mapDict{keyOwnerPID: 1, keyBounds: "0,0,1,1"}, cgWindow{}, false},
		{"bounds missing height", mapDict{keyOwnerPID: 1, keyBounds: mapDict{"X": 0.0, "Y": 0.0, "Width": 1.0}}, cgWindow{}, false},
		{"NaN bounds", mapDict{keyOwnerPID: 1, keyBounds: rectDict(math.NaN(), 0, 1, 1)}, cgWindow{}, false},
		{"huge bounds", mapDict{keyOwnerPID: 1, keyBounds: rectDict(0, 0, 1e30, 1)}, cgWindow{}, false},
		{"negative size", mapDict{keyOwnerPID: 1, keyBounds: rectDict(0, 0, -5, 1)}, cgWindow{}, false},
	} {
		got, ok := parseWindow(tc.d)
		if ok != tc.ok || got != tc.want {
			t.Errorf("%s: parseWindow = %+v, %v; want %+v, %v", tc.name, got, ok, tc.want, tc.ok)
		}
	}
}

// list turns entries into the parsed window list, front to back.
func windowsOf(t *testing.T, ds ...mapDict) []cgWindow {
	t.Helper()
	var out []cgWindow
	for _, d := range ds {
		w, ok := parseWindow(d)
		if !ok {
			t.Fatalf("entry %v did not parse", d)
		}
		out = append(out, w)
	}
	return out
}

func TestFrontIsFirstOrdinaryDrawnWindow(t *testing.T) {
	ws := windowsOf(t,
		entry("Window Server", 150, 25, 1, rectDict(0, 0, 1512, 24)), // the menu bar
		entry("Control Center", 300, 101, 1, rectDict(1300, 0, 200, 24)),
		entry("Window Server", 150, 0, 1, rectDict(700, 0, 20, 20)), // a status indicator
		entry("Ghost", 9, 0, 0, rectDict(0, 0, 500, 500)),           // fully transparent
		entry("Empty", 10, 0, 1, rectDict(100, 100, 0, 30)),         // zero width
		entry("Safari", 12, 0, 1, rectDict(0, 25, 800, 600)),
		entry("Terminal", 13, 0, 1, rectDict(50, 50, 600, 400)),
		entry("Dock", 200, 20, 1, rectDict(0, 900, 1512, 82)),
	)
	w, ok := front(ws)
	if !ok || w.Owner != "Safari" {
		t.Fatalf("front = %+v, %v; want Safari", w, ok)
	}
	got := macWindow(w, "Safari")
	if got != (Window{Process: "Safari", PID: 12, Instance: "Safari"}) {
		t.Errorf("macWindow = %+v", got)
	}
	if _, ok := front(windowsOf(t, entry("Dock", 200, 20, 1, rectDict(0, 0, 10, 10)))); ok {
		t.Error("front found an app window where only the Dock is")
	}
}

func TestStackedBottomToTopAndOpacity(t *testing.T) {
	ws := windowsOf(t,
		entry("Dock", 200, 20, 1, rectDict(0, 900, 1512, 82)),
		entry("Code", 40, 0, 1, rectDict(0, 25, 700, 700)),
		entry("Notes", 41, 0, 0.8, rectDict(600, 25, 400, 400)),
		entry("Ghost", 9, 0, 0, rectDict(0, 0, 500, 500)),
	)
	exe := map[int]string{40: "Electron", 41: "Notes", 200: "Dock"}
	got := stacked(ws, func(pid int) string { return exe[pid] })
	var names []string
	for _, p := range got {
		names = append(names, p.Process+"/"+p.Instance)
	}
	if want := []string{"Notes/Notes", "Code/Electron", "Dock/Dock"}; !slices.Equal(names, want) {
		t.Fatalf("stacked = %v; want %v (bottom to top, the invisible window left out)", names, want)
	}
	if got[0].Opaque || !got[1].Opaque || got[2].Opaque {
		t.Errorf("opaque = %v %v %v; want only the ordinary window at full opacity", got[0].Opaque, got[1].Opaque, got[2].Opaque)
	}
}

// An excluded app is matched by its name or its executable's, and a
// window on a higher layer (here the Dock, drawn translucent) never counts
// as covering it.
func TestStackedExclusion(t *testing.T) {
	ws := windowsOf(t,
		entry("Dock", 200, 20, 1, rectDict(0, 500, 1000, 100)),
		entry("Safari", 12, 0, 1, rectDict(0, 0, 300, 1000)),
		entry("Code", 40, 0, 1, rectDict(0, 0, 1000, 1000)),
	)
	exe := map[int]string{12: "Safari", 40: "Electron", 200: "Dock"}
	ps := stacked(ws, func(pid int) string { return exe[pid] })
	got := hiddenAreas([][]placed{ps}, []string{"electron"})
	want := []image.Rectangle{image.Rect(300, 0, 1000, 1000)} // Safari keeps its pixels, the Dock does not hide Code
	if !slices.Equal(got, want) {
		t.Errorf("hidden = %v; want %v", got, want)
	}
	if !Excluded(macWindow(ws[2], "Electron"), []string{"Code"}) {
		t.Error("an entry naming the app did not exclude it")
	}
}

func TestScreencaptureArgs(t *testing.T) {
	got := screencaptureArgs(image.Rect(-1440, -200, 0, 700), "/tmp/x/screen.png")
	want := []string{"-x", "-t", "png", "-R-1440,-200,1440,900", "/tmp/x/screen.png"}
	if !slices.Equal(got, want) {
		t.Errorf("args = %q; want %q", got, want)
	}
}
