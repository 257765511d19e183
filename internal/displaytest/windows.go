package displaytest

import (
	"context"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// TB is the part of testing.TB the window helpers use.
type TB interface {
	Helper()
	Fatalf(string, ...any)
	Cleanup(func())
}

// Open starts an X program in a UTF-8 locale with extra environment, waits
// until its window is visible and returns the window's ID and the
// program's PID; the test's cleanup ends the program. The window is found
// by the xdotool search terms given, or by the PID when search is nil (a
// program that sets no _NET_WM_PID needs terms): xdotool's --name search
// misreads titles beyond Latin-1, and a window of the same title from an
// earlier test may still be closing.
func Open(t TB, search, env []string, path string, args ...string) (string, int) {
	t.Helper()
	cmd := exec.Command(path, args...)
	cmd.Env = append(append(os.Environ(), "LC_ALL=C.UTF-8"), env...)
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	if search == nil {
		search = []string{"--pid", strconv.Itoa(cmd.Process.Pid)}
	}
	// Generous: on a loaded machine a window can take many seconds to map.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	for {
		find := exec.CommandContext(ctx, "xdotool", append([]string{"search", "--sync", "--onlyvisible"}, search...)...)
		find.Env = cmd.Env
		out, err := find.Output()
		if err == nil && len(strings.Fields(string(out))) > 0 {
			return strings.Fields(string(out))[0], cmd.Process.Pid
		}
		// xdotool gives up at once when a window it walks past closes
		// under it (another test's, going away): search again.
		select {
		case <-ctx.Done():
			t.Fatalf("%s showed no window: %v", path, err)
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// Renamed copies a program into dir under another name, so that a test can
// start a window whose process has a name of its own (as /proc reports it).
func Renamed(t interface {
	Helper()
	Fatalf(string, ...any)
}, dir, path, name string) string {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("read %s: %v", path, err)
	}
	exe := filepath.Join(dir, name)
	if err := os.WriteFile(exe, data, 0o755); err != nil {
		t.Fatalf("copy %s: %v", path, err)
	}
	return exe
}

// Rect is a window's inside (without the window manager's frame) in root
// coordinates, as xwininfo reports it.
func Rect(t TB, id string, env ...string) image.Rectangle {
	t.Helper()
	cmd := exec.Command("xwininfo", "-id", id)
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("xwininfo %s: %v", id, err)
	}
	v := map[string]int{}
	for _, line := range strings.Split(string(out), "\n") {
		k, val, _ := strings.Cut(strings.TrimSpace(line), ":")
		v[k], _ = strconv.Atoi(strings.TrimSpace(val))
	}
	x, y := v["Absolute upper-left X"], v["Absolute upper-left Y"]
	return image.Rect(x, y, x+v["Width"], y+v["Height"])
}

// Share is the fraction of r's pixels in img for which ok holds.
func Share(img image.Image, r image.Rectangle, ok func(color.RGBA) bool) float64 {
	r = r.Intersect(img.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if ok(color.RGBAModel.Convert(img.At(x, y)).(color.RGBA)) {
				n++
			}
		}
	}
	return float64(n) / float64(max(r.Dx()*r.Dy(), 1))
}

// Near reports whether c is within tol of want in each of R, G and B:
// room for what JPEG does to a flat colour.
func Near(c, want color.RGBA, tol int) bool {
	d := func(a, b uint8) bool { x := int(a) - int(b); return x <= tol && -x <= tol }
	return d(c.R, want.R) && d(c.G, want.G) && d(c.B, want.B)
}
