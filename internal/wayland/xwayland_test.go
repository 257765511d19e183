//go:build linux

package wayland_test

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/session"
	"github.com/workdiary/workdiary/internal/wayland"
	"github.com/workdiary/workdiary/internal/wayland/waylandtest"
)

// TestXWaylandWindow: an X app on a Wayland desktop is named in the
// compositor's window list by its class, typing into it is seen by the
// idle notifications, and the session with both displays set is Wayland
// with XWayland, its X server announcing itself as XWayland.
func TestXWaylandWindow(t *testing.T) {
	sway := waylandtest.SwayWithXWayland(t)
	display := sway.XDisplay(t)
	t.Setenv("DISPLAY", display)
	if got := session.Detect(); got.Kind != session.Wayland || !got.XWayland {
		t.Errorf("session with WAYLAND_DISPLAY and XWayland's DISPLAY: %+v", got)
	}
	sway.StartX(t, display, "xterm")
	if got := detectAsSwayUser(t, display); got.Kind != session.Wayland || !got.XWayland {
		t.Errorf("DISPLAY alone on XWayland: %+v, want Wayland (the X server says it is XWayland)", got)
	}

	cl, err := wayland.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	windows, err := cl.WatchToplevels()
	if err != nil {
		t.Fatal(err)
	}
	var front wayland.Toplevel
	for deadline, ok := time.Now().Add(10*time.Second), false; !ok; front, ok = windows.Active() {
		if time.Now().After(deadline) {
			t.Fatal("no window in front within 10s of starting xterm")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if front.AppID != "XTerm" && front.AppID != "xterm" {
		t.Errorf("window in front %+v, want xterm's class", front)
	}
	states := make(chan bool, 16)
	if _, err := cl.WatchIdle(300*time.Millisecond, func(idle bool) { states <- idle }); err != nil {
		t.Fatal(err)
	}
	for seen := false; !seen; {
		select {
		case idle := <-states:
			seen = idle
		case <-time.After(5 * time.Second):
			t.Fatal("no idle report within 5s")
		}
	}
	sway.Type(t, "ls")
	select {
	case idle := <-states:
		if idle {
			t.Fatal("typing into xterm reported as idle")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("typing into the XWayland window was not seen")
	}
}

// detectAsSwayUser runs session.Detect with only DISPLAY set, as the user
// XWayland admits, in a copy of this test binary (TestMain below).
func detectAsSwayUser(t *testing.T, display string) session.Session {
	t.Helper()
	dir, err := os.MkdirTemp("", "workdiary-detect-")
	if err != nil {
		t.Fatal(err)
	}
	defer os.RemoveAll(dir)
	os.Chmod(dir, 0o755)
	self, _ := os.ReadFile(os.Args[0])
	bin := filepath.Join(dir, "detect.test")
	if err := os.WriteFile(bin, self, 0o755); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(bin)
	cmd.Env = []string{"WORKDIARY_DETECT_SESSION=1", "DISPLAY=" + display}
	waylandtest.AsSwayUser(cmd)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("detect as sway's user: %v", err)
	}
	var s session.Session
	if err := json.Unmarshal(out, &s); err != nil {
		t.Fatalf("detect as sway's user: %v (%q)", err, out)
	}
	return s
}

func TestMain(m *testing.M) {
	if os.Getenv("WORKDIARY_DETECT_SESSION") == "1" {
		json.NewEncoder(os.Stdout).Encode(session.Detect())
		os.Exit(0)
	}
	os.Exit(m.Run())
}
