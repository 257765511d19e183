//go:build linux && cgo

package capture

import (
	"context"
	"fmt"
	"image"
	"image/color"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/displaytest"
)

// Pixel tests, with room for JPEG: blanked, or the red the excluded test
// apps are filled with, or the blue of the window in front.
func nearBlank(c color.RGBA) bool  { return displaytest.Near(c, redactBackground, 16) }
func isSecret(c color.RGBA) bool   { return displaytest.Near(c, color.RGBA{R: 0xff, A: 0xff}, 60) }
func isWorkBlue(c color.RGBA) bool { return displaytest.Near(c, color.RGBA{B: 0xff, A: 0xff}, 60) }

var share = displaytest.Share

// bankApp copies xterm under another name, so the excluded app is matched
// by its process name as the exclusion list always has, and starts it
// filled with red.
func bankApp(t *testing.T, geometry string) string {
	t.Helper()
	exe := displaytest.Renamed(t, t.TempDir(), "/usr/bin/xterm", "wd-bankapp")
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
func clientRect(t *testing.T, win string) image.Rectangle { return displaytest.Rect(t, win) }

// waitOnScreen polls the screen until every rectangle shows its colour, so
// that the shot under test cannot be blank merely because nothing was drawn.
func waitOnScreen(t *testing.T, want map[image.Rectangle]func(color.RGBA) bool) {
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

// An excluded app that is on screen but not in front is blanked out of the
// stored shot, title bar included; the window in front and the rest of the
// screen stay as they are.
func TestShootHidesExcludedWindowsWithoutFocus(t *testing.T) {
	bank := bankApp(t, "50x12+20+40")
	msg, _ := displaytest.Open(t, []string{"--classname", "xmessage"}, nil, "xmessage", "-bg", "red", "-fg", "red", "-geometry", "300x160+20+500", "card 4111 1111 1111 1111")
	work := workTerm(t, "60x20+700+300")
	bankR, msgR, workR := clientRect(t, bank), clientRect(t, msg), clientRect(t, work)
	waitOnScreen(t, map[image.Rectangle]func(color.RGBA) bool{bankR: isSecret, msgR: isSecret, workR: isWorkBlue})

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
	waitOnScreen(t, map[image.Rectangle]func(color.RGBA) bool{workR: isWorkBlue,
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
