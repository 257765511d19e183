//go:build e2e

package e2e

import (
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/displaytest"
)

const (
	bankTitle = "Online banking — acct 12345678"
	workTitle = "invoice-parser — vim" // beyond Latin-1: xterm names it in COMPOUND_TEXT
)

// An app on excluded_apps beside the focused terminal: while it is only
// visible, no stored screenshot shows it; while it is in front, its title
// never enters the diary and the shots are placeholders. The terminal's
// title, with its em dash, reads exactly.
func TestTrackKeepsExcludedAppOut(t *testing.T) {
	display := requireDisplay(t)
	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Parser", rate: "35.00", currency: "USD", screenshots: 3})
	excludeApps(t, con, "wd-e2e-bank")

	// A copy of xterm, so that the bank app has a process name of its own.
	bankExe := displaytest.Renamed(t, t.TempDir(), "/usr/bin/xterm", "wd-e2e-bank")
	onDisplay := []string{"DISPLAY=" + display}
	bank, _ := displaytest.Open(t, nil, onDisplay, bankExe, "-T", bankTitle, "-bg", "red", "-fg", "red", "-geometry", "50x12+20+40", "-e", "sleep", "300")
	work, _ := displaytest.Open(t, nil, onDisplay, "xterm", "-T", workTitle, "-bg", "blue", "-fg", "blue", "-geometry", "60x20+700+300", "-e", "sleep", "300")
	bankR, workR := displaytest.Rect(t, bank, onDisplay...), displaytest.Rect(t, work, onDisplay...)

	run(t, "xdotool", "windowactivate", "--sync", work)
	trackFor(t, onDisplay, con, id, "10m")
	apps, shots := appsAndShots(mustReadDiary(t, con))
	if apps["xterm"] != workTitle || len(apps) != 1 {
		t.Errorf("apps recorded %q, want only xterm titled %q", apps, workTitle)
	}
	if len(shots) == 0 {
		t.Fatal("no screenshots taken")
	}
	for _, sh := range shots {
		checkHidden(t, decodeShot(t, con, sh), sh.Hash, workR, bankR)
	}

	// This run's clock starts from now again, so it adds to the segments of
	// the first, whose screenshot moments may be used up; 30 minutes
	// always cover one slot the first run never reached.
	run(t, "xdotool", "windowactivate", "--sync", bank)
	trackFor(t, onDisplay, con, id, "30m")
	checkExcludedInFront(t, con, "wd-e2e-bank")
	if out := cli(t, con, diaryArgs...); strings.Contains(out, "12345678") {
		t.Errorf("the diary names the excluded app's title:\n%s", out)
	}
}

// decodeShot reads a stored screenshot.
func decodeShot(t *testing.T, home string, sh imageRecord) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(checkBlob(t, home, sh.Hash)))
	if err != nil {
		t.Fatalf("screenshot %s: %v", sh.Hash, err)
	}
	return img
}

// checkHidden checks a screenshot taken while the blue window (at shown)
// was in front and the red window of an excluded app (at hidden) was
// visible beside it: the first shows whole, the second is painted over.
func checkHidden(t *testing.T, img image.Image, name string, shown, hidden image.Rectangle) {
	t.Helper()
	if got := displaytest.Share(img, hidden, isRed); got > 0 {
		t.Errorf("screenshot %s: %.1f%% of the excluded app's window shows", name, got*100)
	}
	if got := displaytest.Share(img, hidden.Inset(4), isBlanked); got < 0.99 {
		t.Errorf("screenshot %s: %.1f%% of the excluded app's window blanked, want all", name, got*100)
	}
	if got := displaytest.Share(img, shown.Inset(4), isBlue); got < 0.99 {
		t.Errorf("screenshot %s: %.1f%% of the focused window shows, want all", name, got*100)
	}
}

// checkExcludedInFront checks the diary after the excluded app was in
// front: the app is recorded titled "(excluded)", and some screenshot is
// the placeholder.
func checkExcludedInFront(t *testing.T, home, app string) {
	t.Helper()
	apps, shots := appsAndShots(mustReadDiary(t, home))
	if apps[app] != "(excluded)" {
		t.Errorf("apps recorded %q, want %s titled (excluded)", apps, app)
	}
	for _, sh := range shots {
		if sh.Redacted {
			return
		}
	}
	t.Error("no screenshot was replaced by the placeholder while the excluded app was in front")
}

// excludeApps writes the exclusion list into a data folder's config.json.
func excludeApps(t *testing.T, home string, apps ...string) {
	t.Helper()
	setConfig(t, home, "excluded_apps", apps)
}

// trackFor tracks the contract for d of a clock 60 times as fast.
func trackFor(t *testing.T, env []string, home, id, d string) {
	t.Helper()
	track := startWorkdiary(t, env, home, "track", "--contract", id[:10], "--memo", "parser tests", "--for", d, "--clock-speed", "60")
	if err := track.wait(); err != nil {
		t.Fatalf("track: %v\n%s", err, track.out.String())
	}
}

// appsAndShots is the last title of each app and every screenshot.
func appsAndShots(segs []segmentRecord) (map[string]string, []imageRecord) {
	apps := map[string]string{}
	var shots []imageRecord
	for _, s := range segs {
		for _, a := range s.Apps {
			apps[a.Name] = a.Title
		}
		shots = append(shots, s.Screenshots...)
	}
	return apps, shots
}

// Pixel tests with room for JPEG: the red and blue the test windows are
// filled with, and the dark grey excluded windows are painted over with.
func isRed(c color.RGBA) bool     { return displaytest.Near(c, color.RGBA{R: 0xff}, 60) }
func isBlue(c color.RGBA) bool    { return displaytest.Near(c, color.RGBA{B: 0xff}, 60) }
func isBlanked(c color.RGBA) bool { return displaytest.Near(c, color.RGBA{0x2b, 0x2f, 0x36, 0}, 16) }
