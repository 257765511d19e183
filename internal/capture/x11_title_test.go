//go:build linux && cgo

package capture

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/displaytest"
)

// openWindow starts an X program in a UTF-8 locale and returns its
// window, found by PID.
func openWindow(t *testing.T, name string, args ...string) string {
	t.Helper()
	displaytest.Display(t)
	win, _ := displaytest.Open(t, nil, nil, name, args...)
	return win
}

// focus activates a window and waits until the window manager says so.
func focus(t *testing.T, win string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if out, err := exec.CommandContext(ctx, "xdotool", "windowactivate", "--sync", win).CombinedOutput(); err != nil {
		t.Fatalf("xdotool windowactivate %s: %v: %s", win, err, out)
	}
}

// xprop runs xprop on a window in a UTF-8 locale, so that its 8t format
// writes COMPOUND_TEXT the way Xlib does for any client.
func xprop(t *testing.T, win string, args ...string) {
	t.Helper()
	cmd := exec.Command("xprop", append([]string{"-id", win}, args...)...)
	cmd.Env = append(os.Environ(), "LC_ALL=C.UTF-8")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("xprop %v: %v: %s", args, err, out)
	}
}

func activeTitle(t *testing.T) string {
	t.Helper()
	w, err := ActiveWindow()
	if err != nil {
		t.Fatal(err)
	}
	return w.Title
}

// xterm names its window through Xlib: STRING for Latin-1 titles,
// COMPOUND_TEXT (ISO 2022 designations, or UTF-8 segments) otherwise, and
// no _NET_WM_NAME.
func TestTitlesSetByXterm(t *testing.T) {
	for _, title := range []string{"invoice-parser — vim", "Café Müller", "Привет мир", "日本語のタイトル", "Ελληνικά"} {
		win := openWindow(t, "xterm", "-T", title, "-geometry", "40x5+10+10", "-e", "sleep", "60")
		focus(t, win)
		if got := activeTitle(t); got != title {
			t.Errorf("xterm -T %q: title = %q, want %q", title, got, title)
		}
	}
}

func TestTitlesByPropertyType(t *testing.T) {
	win := openWindow(t, "xterm", "-T", "placeholder", "-geometry", "40x5+10+10", "-e", "sleep", "60")
	focus(t, win)
	for _, c := range []struct {
		name string
		set  func()
		want string
	}{
		{"WM_NAME as COMPOUND_TEXT", func() {
			xprop(t, win, "-f", "WM_NAME", "8t", "-set", "WM_NAME", "Łódź — 한국어 ✓ Ünï")
		}, "Łódź — 한국어 ✓ Ünï"},
		{"WM_NAME as STRING in Latin-1", func() {
			xprop(t, win, "-f", "WM_NAME", "8s", "-set", "WM_NAME", "\xc4rger f\xfcr Bj\xf6rn")
		}, "Ärger für Björn"},
		{"_NET_WM_NAME over WM_NAME", func() {
			xprop(t, win, "-f", "WM_NAME", "8s", "-set", "WM_NAME", "old name")
			xprop(t, win, "-f", "_NET_WM_NAME", "8u", "-set", "_NET_WM_NAME", "Ünïcødé ✓ 日本")
		}, "Ünïcødé ✓ 日本"},
	} {
		xprop(t, win, "-remove", "_NET_WM_NAME")
		c.set()
		if got := activeTitle(t); got != c.want {
			t.Errorf("%s: title = %q, want %q", c.name, got, c.want)
		}
	}
}
