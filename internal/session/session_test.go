package session

import (
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/ledger"
)

func TestDetect(t *testing.T) {
	wayland := ledger.LimitNoScreenshots | ledger.LimitNoInputCounts | ledger.LimitNoApps
	for _, tt := range []struct {
		name     string
		env      map[string]string
		xwayland bool // what the X server says of itself
		want     Session
	}{
		{"X11", map[string]string{"DISPLAY": ":0", "XDG_SESSION_TYPE": "x11"}, false, Session{Kind: X11}},
		{"Wayland with XWayland", map[string]string{"DISPLAY": ":0", "WAYLAND_DISPLAY": "wayland-0", "XDG_SESSION_TYPE": "wayland"}, true,
			Session{Kind: Wayland, XWayland: true, Limits: wayland}},
		{"only WAYLAND_DISPLAY", map[string]string{"WAYLAND_DISPLAY": "wayland-1"}, false, Session{Kind: Wayland, Limits: wayland}},
		{"session type alone", map[string]string{"XDG_SESSION_TYPE": "Wayland"}, false, Session{Kind: Wayland, Limits: wayland}},
		{"XWayland without Wayland variables", map[string]string{"DISPLAY": ":1"}, true, Session{Kind: Wayland, XWayland: true, Limits: wayland}},
		{"nothing", map[string]string{}, false, Session{Kind: None}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := detect(func(k string) string { return tt.env[k] }, func(string) bool { return tt.xwayland })
			if got != tt.want {
				t.Errorf("detect = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestLinesSayWhatAndWhatToDo: a limited session says what it will not
// record and how to record everything; X11 says everything is recorded.
func TestLinesSayWhatAndWhatToDo(t *testing.T) {
	w := detect(func(k string) string { return map[string]string{"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}[k] }, func(string) bool { return true })
	text := strings.Join(w.Lines(), "\n")
	for _, want := range []string{"screenshots cannot be taken", "only in X apps", "\"unknown\"", "log in to an X11 session", "screenshot permission"} {
		if !strings.Contains(text, want) {
			t.Errorf("Wayland lines %q do not say %q", text, want)
		}
	}
	for _, k := range []Kind{X11, Windows, MacOS} {
		if x := (Session{Kind: k}).Summary(); !strings.Contains(x, "are recorded") {
			t.Errorf("%s summary %q", k, x)
		}
	}
	// macOS records only with a permission the person gives in one place.
	if x := (Session{Kind: MacOS}).Summary(); !strings.Contains(x, "Privacy & Security → Screen Recording") {
		t.Errorf("macOS summary %q does not say where to allow screen recording", x)
	}
}
