//go:build linux

package waylandtest

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// nobody is the user sway runs as when the test runs as root: sway refuses
// to start as root.
const nobody = 65534

// Compositor is a running sway.
type Compositor struct {
	RuntimeDir string // its XDG_RUNTIME_DIR
	Display    string // its WAYLAND_DISPLAY
	pid        int
}

// Env is the environment a client of this compositor needs.
func (c *Compositor) Env() []string {
	env := []string{"XDG_RUNTIME_DIR=" + c.RuntimeDir, "WAYLAND_DISPLAY=" + c.Display}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "XDG_RUNTIME_DIR=") && !strings.HasPrefix(kv, "WAYLAND_DISPLAY=") &&
			!strings.HasPrefix(kv, "DISPLAY=") {
			env = append(env, kv)
		}
	}
	return env
}

// Sway starts a headless sway for the test, points this process's
// WAYLAND_DISPLAY and XDG_RUNTIME_DIR at it (and unsets DISPLAY: a Wayland
// session without X), and stops it when the test ends. It fails the test
// when sway is not installed (scripts/setup.sh installs it).
func Sway(t testing.TB) *Compositor { return startSway(t, false) }

// SwayWithXWayland is Sway with XWayland on (started by the first X
// client; see XDisplay). Other tests leave it off, so that they claim no
// X display number on a machine that others share.
func SwayWithXWayland(t testing.TB) *Compositor { return startSway(t, true) }

func startSway(t testing.TB, xwayland bool) *Compositor {
	t.Helper()
	for _, prog := range []string{"sway", "wtype"} {
		if _, err := exec.LookPath(prog); err != nil {
			t.Fatalf("%s is not installed (scripts/setup.sh installs it): %v", prog, err)
		}
	}
	dir, err := os.MkdirTemp("", "workdiary-wayland-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { removeRuntimeDir(dir) })
	conf := filepath.Join(dir, "sway.conf")
	config := "output HEADLESS-1 resolution 1280x800\nxwayland disable\n"
	if xwayland {
		config = "output HEADLESS-1 resolution 1280x800\nxwayland enable\n"
	}
	if err := os.WriteFile(conf, []byte(config), 0o644); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("sway", "-c", conf)
	cmd.Env = append(os.Environ(), "XDG_RUNTIME_DIR="+dir, "WLR_BACKENDS=headless", "WLR_LIBINPUT_NO_DEVICES=1",
		"WLR_RENDERER=pixman", "WAYLAND_DISPLAY=", "DISPLAY=")
	if os.Geteuid() == 0 {
		if err := os.Chown(dir, nobody, nobody); err != nil {
			t.Fatal(err)
		}
	}
	AsSwayUser(cmd)
	log, _ := os.Create(filepath.Join(os.TempDir(), filepath.Base(dir)+".log"))
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("start sway: %v", err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
		log.Close()
		os.Remove(log.Name())
	})
	c := &Compositor{RuntimeDir: dir, pid: cmd.Process.Pid}
	deadline := time.Now().Add(10 * time.Second)
	for c.Display == "" {
		if time.Now().After(deadline) {
			b, _ := os.ReadFile(log.Name())
			t.Fatalf("sway did not open a Wayland socket within 10s:\n%s", b)
		}
		time.Sleep(50 * time.Millisecond)
		socks, _ := filepath.Glob(filepath.Join(dir, "wayland-*"))
		for _, s := range socks {
			if !strings.HasSuffix(s, ".lock") {
				c.Display = filepath.Base(s)
			}
		}
	}
	t.Setenv("XDG_RUNTIME_DIR", dir)
	t.Setenv("WAYLAND_DISPLAY", c.Display)
	t.Setenv("DISPLAY", "")
	return c
}

// removeRuntimeDir removes the compositor's runtime folder. The document
// portal, which the test's bus starts on demand and which outlives the bus
// by a moment, mounts a FUSE file system at doc/ in it: that is detached
// first, and the removal tried again for a while, or the folder would now
// and then stay behind in /tmp.
func removeRuntimeDir(dir string) {
	_ = syscall.Unmount(filepath.Join(dir, "doc"), syscall.MNT_DETACH)
	for deadline := time.Now().Add(5 * time.Second); os.RemoveAll(dir) != nil && time.Now().Before(deadline); {
		time.Sleep(50 * time.Millisecond)
	}
}

// Start runs a client program of the compositor until the test ends.
func (c *Compositor) Start(t testing.TB, prog string, args ...string) {
	t.Helper()
	cmd := exec.Command(prog, args...)
	cmd.Env = c.Env()
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", prog, err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
}

// Type types text on the compositor's virtual keyboard (wtype): it goes
// to the focused window, as a person's typing would.
func (c *Compositor) Type(t testing.TB, text string) {
	t.Helper()
	cmd := exec.Command("wtype", text)
	cmd.Env = c.Env()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wtype: %v\n%s", err, out)
	}
}

// String names the compositor for messages.
func (c *Compositor) String() string { return fmt.Sprintf("sway at %s/%s", c.RuntimeDir, c.Display) }

// XDisplay is the X display of sway's XWayland (":N"), which starts when
// the first X client connects: the display whose lock file names sway.
func (c *Compositor) XDisplay(t testing.TB) string {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		locks, _ := filepath.Glob("/tmp/.X*-lock")
		for _, l := range locks {
			b, _ := os.ReadFile(l)
			if strings.TrimSpace(strings.Trim(string(b), "\x00")) == fmt.Sprint(c.pid) {
				return ":" + strings.TrimSuffix(strings.TrimPrefix(filepath.Base(l), ".X"), "-lock")
			}
		}
	}
	t.Fatalf("%s opened no X display for XWayland (is xwayland installed?)", c)
	return ""
}

// AsSwayUser makes cmd run as sway's user: XWayland lets only its own
// user connect.
func AsSwayUser(cmd *exec.Cmd) {
	if os.Geteuid() == 0 {
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: nobody, Gid: nobody}}
	}
}

// StartX runs an X client on sway's XWayland until the test ends.
func (c *Compositor) StartX(t testing.TB, display, prog string, args ...string) {
	t.Helper()
	cmd := exec.Command(prog, args...)
	cmd.Env = append(c.Env(), "DISPLAY="+display)
	AsSwayUser(cmd)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", prog, err)
	}
	t.Cleanup(func() { cmd.Process.Kill(); cmd.Wait() })
}
