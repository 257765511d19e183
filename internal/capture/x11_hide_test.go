//go:build linux && cgo

package capture

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// Pixel tests, with room for JPEG: blanked, or the red the excluded test
// apps are filled with, or the blue of the window in front.
func nearBlank(c color.Color) bool  { return near(c, redactBackground, 16) }
func isSecret(c color.Color) bool   { return near(c, color.RGBA{R: 0xff, A: 0xff}, 60) }
func isWorkBlue(c color.Color) bool { return near(c, color.RGBA{B: 0xff, A: 0xff}, 60) }

func near(c color.Color, want color.RGBA, tol int) bool {
	r, g, b, _ := c.RGBA()
	d := func(a uint32, w uint8) bool { x := int(a>>8) - int(w); return x <= tol && -x <= tol }
	return d(r, want.R) && d(g, want.G) && d(b, want.B)
}

// bankApp copies xterm under another name, so the excluded app is matched
// by its process name as the exclusion list always has, and starts it
// filled with red.
func bankApp(t *testing.T, geometry string) string {
	t.Helper()
	exe := filepath.Join(t.TempDir(), "wd-bankapp")
	data, err := os.ReadFile("/usr/bin/xterm")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(exe, data, 0o755); err != nil {
		t.Fatal(err)
	}
	return openWindow(t, exe, "-T", "Online banking — acct 12345678", "-bg", "red", "-fg", "red",
		"-geometry", geometry, "-e", "sleep", "60")
}

// workTerm is the window that has the focus: a blue xterm.
func workTerm(t *testing.T, geometry string) string {
	t.Helper()
	win := openWindow(t, "xterm", "-T", "work — vim", "-bg", "blue", "-fg", "blue", "-geometry", geometry, "-e", "sleep", "60")
	focus(t, win)
	return win
}

// clientRect is a window's inside (no frame) in root coordinates.
func clientRect(t *testing.T, win string) image.Rectangle {
	t.Helper()
	out, err := exec.Command("xwininfo", "-id", win).Output()
	if err != nil {
		t.Fatalf("xwininfo %s: %v", win, err)
	}
	v := map[string]int{}
	for _, line := range strings.Split(string(out), "\n") {
		k, val, ok := strings.Cut(strings.TrimSpace(line), ":")
		if n, err := strconv.Atoi(strings.TrimSpace(val)); ok && err == nil {
			v[k] = n
		}
	}
	x, y := v["Absolute upper-left X"], v["Absolute upper-left Y"]
	return image.Rect(x, y, x+v["Width"], y+v["Height"])
}

// waitOnScreen polls the screen until every rectangle shows its colour, so
// that the shot under test cannot be blank merely because nothing was drawn.
func waitOnScreen(t *testing.T, want map[image.Rectangle]func(color.Color) bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		imgs, err := CaptureAll(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		var missing []string
		for r, ok := range want {
			if got := share(imgs[0], r.Inset(8), ok); got < 0.95 {
				missing = append(missing, fmt.Sprintf("%v (%.0f%%)", r, got*100))
			}
		}
		if len(missing) == 0 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("test windows never showed their colour on screen: %s", strings.Join(missing, ", "))
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// share is the fraction of r's pixels in img for which ok holds.
func share(img image.Image, r image.Rectangle, ok func(color.Color) bool) float64 {
	r = r.Intersect(img.Bounds())
	n := 0
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if ok(img.At(x, y)) {
				n++
			}
		}
	}
	return float64(n) / float64(max(r.Dx()*r.Dy(), 1))
}

// An excluded app that is on screen but not in front is blanked out of the
// stored shot, title bar included; the window in front and the rest of the
// screen stay as they are.
func TestShootHidesExcludedWindowsWithoutFocus(t *testing.T) {
	bank := bankApp(t, "50x12+20+40")
	msg := openWindowBy(t, []string{"--classname", "xmessage"}, "xmessage", "-bg", "red", "-fg", "red", "-geometry", "300x160+20+500", "card 4111 1111 1111 1111")
	work := workTerm(t, "60x20+700+300")
	bankR, msgR, workR := clientRect(t, bank), clientRect(t, msg), clientRect(t, work)
	waitOnScreen(t, map[image.Rectangle]func(color.Color) bool{bankR: isSecret, msgR: isSecret, workR: isWorkBlue})

	// wd-bankapp is matched by its process name; xmessage names no PID and
	// is matched by its WM_CLASS.
	shots, w, err := New().Shoot(context.Background(), Policy{Exclude: []string{"wd-bankapp", "xmessage"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(shots) != 1 || shots[0].Redacted || w.Title != "work — vim" {
		t.Fatalf("Shoot = %d shots (redacted %v), window %+v; want one unredacted shot of the work window", len(shots), len(shots) > 0 && shots[0].Redacted, w)
	}
	img := decodeJPEG(t, shots[0].Full)
	for name, r := range map[string]image.Rectangle{"bank app": bankR, "xmessage": msgR} {
		if got := share(img, r.Inset(4), nearBlank); got < 0.99 {
			t.Errorf("%s at %v: %.0f%% of its pixels blanked, want all", name, r, got*100)
		}
		// The title bar above the window shows the title: hidden too.
		bar := image.Rect(r.Min.X+8, r.Min.Y-10, r.Max.X-8, r.Min.Y-4)
		if got := share(img, bar, nearBlank); got < 0.99 {
			t.Errorf("%s's title bar %v: %.0f%% blanked, want all", name, bar, got*100)
		}
	}
	// The left of the screen holds both excluded windows (the work window's
	// title bar, further right, has a red icon).
	if got := share(img, image.Rect(0, 0, 680, 800), isSecret); got > 0 {
		t.Errorf("%.3f%% of the shot's left half still shows the excluded apps' red", got*100)
	}
	if got := share(img, workR.Inset(4), isWorkBlue); got < 0.99 {
		t.Errorf("the focused window %v: %.0f%% of it still shows, want all", workR, got*100)
	}
	if got := share(img, image.Rect(400, 0, 680, 800), nearBlank); got > 0.01 {
		t.Errorf("%.0f%% of the desktop between the windows is blanked, want none", got*100)
	}
}

// A window of another app stacked above an excluded one keeps its pixels;
// only what shows of the excluded window is blanked.
func TestShootKeepsWindowsAboveAnExcludedOne(t *testing.T) {
	bank := bankApp(t, "80x30+20+40")
	work := workTerm(t, "40x10+200+150") // inside the bank app's area, and raised by the focus
	bankR, workR := clientRect(t, bank), clientRect(t, work)
	if !workR.In(bankR) {
		t.Fatalf("work window %v is not inside the bank app %v", workR, bankR)
	}
	waitOnScreen(t, map[image.Rectangle]func(color.Color) bool{workR: isWorkBlue,
		image.Rect(bankR.Min.X, bankR.Min.Y, bankR.Max.X, workR.Min.Y-30): isSecret})

	shots, _, err := New().Shoot(context.Background(), Policy{Exclude: []string{"wd-bankapp"}})
	if err != nil {
		t.Fatal(err)
	}
	img := decodeJPEG(t, shots[0].Full)
	if got := share(img, workR.Inset(4), isWorkBlue); got < 0.99 {
		t.Errorf("the window above %v: %.0f%% of it shows, want all", workR, got*100)
	}
	if got := share(img, image.Rect(bankR.Min.X, bankR.Min.Y, bankR.Max.X, workR.Min.Y-30).Inset(4), nearBlank); got < 0.99 {
		t.Errorf("the bank app above the work window: %.0f%% blanked, want all", got*100)
	}
	// All of the bank app but the work window and its frame (whose title
	// bar has a red icon) is blank.
	workFrame := image.Rect(workR.Min.X-8, workR.Min.Y-30, workR.Max.X+8, workR.Max.Y+8)
	for _, r := range subtract(bankR, workFrame) {
		if got := share(img, r, isSecret); got > 0 {
			t.Errorf("%.3f%% of the bank app's area %v still shows its red", got*100, r)
		}
	}
}
