//go:build linux

package session

import (
	"testing"

	"github.com/workdiary/workdiary/internal/displaytest"
)

// TestXvfbIsNotXWayland: a plain X server is X11, so the X11 path stays as
// it was. (sway's XWayland is the other side: internal/wayland's
// TestXWaylandWindow.)
func TestXvfbIsNotXWayland(t *testing.T) {
	display := displaytest.Display(t)
	if isXWayland(display) {
		t.Fatalf("%s taken for XWayland", display)
	}
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XDG_SESSION_TYPE", "x11")
	if got := Detect(); got.Kind != X11 || got.Limits != 0 {
		t.Fatalf("Detect on Xvfb = %+v, want X11 with no limits", got)
	}
}
