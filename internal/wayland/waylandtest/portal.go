//go:build linux

package waylandtest

import (
	"bufio"
	"os/exec"
	"strings"
	"testing"
	"time"
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
	bus := exec.Command("dbus-daemon", "--session", "--nofork", "--print-address=1")
	bus.Env = env // what activated services (the portals) start with
	out, err := bus.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := bus.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { bus.Process.Kill(); bus.Wait() })
	addr := make(chan string, 1)
	go func() {
		line, _ := bufio.NewReader(out).ReadString('\n')
		addr <- strings.TrimSpace(line)
	}()
	var a string
	select {
	case a = <-addr:
		t.Setenv("DBUS_SESSION_BUS_ADDRESS", a)
	case <-time.After(10 * time.Second):
		t.Fatal("dbus-daemon printed no address within 10s")
	}
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
