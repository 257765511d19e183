//go:build linux

package wayland_test

import (
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/wayland"
	"github.com/workdiary/workdiary/internal/wayland/waylandtest"
)

// TestIdleAndWindowOnSway: on a wlroots compositor the idle notifications
// report the person away and back (typing on the virtual keyboard into a
// native Wayland window), and the foreign-toplevel list names that window
// as the one in front.
func TestIdleAndWindowOnSway(t *testing.T) {
	sway := waylandtest.Sway(t)
	cl, err := wayland.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	states := make(chan bool, 16)
	proto, err := cl.WatchIdle(500*time.Millisecond, func(idle bool) { states <- idle })
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("idle notifications through %s", proto)
	windows, err := cl.WatchToplevels()
	if err != nil {
		t.Fatal(err)
	}
	expect := func(want bool, what string) { t.Helper(); expectState(t, states, want, what) }
	expect(true, "nobody typing")
	sway.Start(t, "weston-flower")
	deadline := time.Now().Add(5 * time.Second)
	var front wayland.Toplevel
	for ok := false; !ok; front, ok = windows.Active() {
		if time.Now().After(deadline) {
			t.Fatal("no window in front within 5s of starting weston-flower")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if front.AppID != "org.freedesktop.weston.flower" {
		t.Errorf("window in front %+v, want weston-flower's app ID", front)
	}
	// The flower's mapping may count as activity; wait for quiet first.
	for drained := false; !drained; {
		select {
		case <-states:
		case <-time.After(time.Second):
			drained = true
		}
	}
	sway.Type(t, "hello")
	expect(false, "typing")
	expect(true, "stopped typing")
}

// TestNoCompositor: without a Wayland socket the client says so.
func TestNoCompositor(t *testing.T) {
	t.Setenv("WAYLAND_DISPLAY", "")
	if _, err := wayland.Connect(); !errors.Is(err, wayland.ErrNoCompositor) {
		t.Fatalf("Connect without WAYLAND_DISPLAY: %v, want ErrNoCompositor", err)
	}
}
