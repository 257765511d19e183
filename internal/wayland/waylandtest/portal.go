//go:build linux

package waylandtest

import (
	"os/exec"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/notify/notifytest"
)

// Portal starts a session bus of the test's own whose activatable desktop
// portal (xdg-desktop-portal, with xdg-desktop-portal-wlr for screenshots
// and PipeWire, which that backend needs to start) serves this compositor,
// and points DBUS_SESSION_BUS_ADDRESS at it until the test ends. With
// working false the portal fails every screenshot: the wlroots backend
// runs grim for each, and the portals start without it on their PATH.
func (c *Compositor) Portal(t testing.TB, working bool) {
	t.Helper()
	for _, prog := range []string{"dbus-daemon", "pipewire", "/usr/libexec/xdg-desktop-portal", "/usr/libexec/xdg-desktop-portal-wlr"} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Fatalf("%s is not installed (scripts/setup.sh installs it): %v", prog, err)
		}
	}
	env := append(c.Env(), "XDG_CURRENT_DESKTOP=sway", "GDK_BACKEND=wayland")
	pw := exec.Command("pipewire")
	pw.Env = env
	if !working {
		env = append(env, "PATH=/nonexistent")
	}
	if err := pw.Start(); err != nil {
		t.Fatalf("start pipewire: %v", err)
	}
	t.Cleanup(func() { pw.Process.Kill(); pw.Wait() })
	// The bus runs with env: what activated services (the portals) start with.
	a := notifytest.BusEnv(t, "--session", env)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", a)
	// The backends first, each owning its name, then the portal that looks
	// for them: left to activation, the portal waits out D-Bus timeouts.
	time.Sleep(300 * time.Millisecond) // PipeWire's socket, before the wlr backend looks for it
	for _, prog := range []string{"/usr/libexec/xdg-desktop-portal-wlr", "/usr/libexec/xdg-desktop-portal-gtk", "/usr/libexec/xdg-desktop-portal"} {
		if prog == "/usr/libexec/xdg-desktop-portal" {
			time.Sleep(300 * time.Millisecond)
		}
		cmd := exec.Command(prog)
		cmd.Env = append(env, "DBUS_SESSION_BUS_ADDRESS="+a)
		if err := cmd.Start(); err != nil {
			t.Fatalf("start %s: %v", prog, err)
		}
		t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
	}
}
