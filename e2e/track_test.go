//go:build e2e

package e2e

import (
	"bytes"
	"image/jpeg"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"
)

// Offer → offline accept → track at a fast clock with real key presses
// and clicks driven into a focused xterm → the diary holds exactly those
// counts, screenshots of the display, and xterm as the app.
func TestTrackRecordsRealInput(t *testing.T) {
	display := requireDisplay(t)
	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Parser", rate: "35.00", currency: "USD",
		screenshots: 2, terms: []string{"--weekly-limit", "40"}})
	if list := listContracts(t, cliIn(t, con)); len(list) != 1 {
		t.Fatalf("contract list: %v; want the one contract", list)
	}

	win := startXterm(t, display, "wd-e2e-track", "-e", "sleep", "120")
	if out, err := exec.Command("xdotool", "windowactivate", "--sync", win).CombinedOutput(); err != nil {
		t.Fatalf("activate xterm: %v %s", err, out)
	}

	onDisplay := []string{"DISPLAY=" + display}
	track := startWorkdiary(t, onDisplay, con, "track", "--contract", id[:10],
		"--memo", "parser tests", "--for", "20m", "--clock-speed", "60")
	waitFor(t, track.out, "Tracking", 20*time.Second)
	// One tracker per data folder: a second one is refused and says why.
	second := workdiaryCommand(t, con, "track", "--contract", id, "--memo", "again", "--for", "1m")
	second.Env = append(os.Environ(), onDisplay...)
	if msg, err := second.CombinedOutput(); err == nil || !strings.Contains(string(msg), "already running") || !strings.Contains(string(msg), "in workdiary track") {
		t.Errorf("second tracker on the same folder: err = %v, output %q; want a refusal naming the running session and its tracker", err, msg)
	}
	time.Sleep(2 * time.Second)
	for i := 0; i < 7; i++ {
		run(t, "xdotool", "key", "--window", win, "a")
		time.Sleep(60 * time.Millisecond)
	}
	for i := 0; i < 3; i++ {
		run(t, "xdotool", "click", "1")
		time.Sleep(60 * time.Millisecond)
	}
	if err := track.wait(); err != nil {
		t.Fatalf("track: %v\n%s", err, track.out.String())
	}

	segs := mustReadDiary(t, con)
	keys, clicks, shots, xterm := 0, 0, 0, false
	for _, s := range segs {
		keys += s.Keys
		clicks += s.Clicks
		if s.Memo != "parser tests" || s.State != "recorded" {
			t.Errorf("segment %s: memo %q state %q", s.ID, s.Memo, s.State)
		}
		for _, a := range s.Apps {
			xterm = xterm || (a.Name == "xterm" && strings.Contains(a.Title, "wd-e2e-track"))
		}
		for _, sh := range s.Screenshots {
			shots++
			checkScreenshot(t, con, sh.Hash, sh.Width, sh.Height)
		}
	}
	if keys != 7 || clicks != 3 {
		t.Errorf("diary counts %d keys and %d clicks, want exactly 7 and 3\n%s", keys, clicks, track.out.String())
	}
	if shots == 0 || !xterm {
		t.Errorf("%d screenshots, xterm seen: %v; want screenshots and xterm with its title", shots, xterm)
	}
}

func checkScreenshot(t *testing.T, home, hash string, w, h int) {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(checkBlob(t, home, hash)))
	if err != nil {
		t.Fatalf("screenshot %s is not a JPEG: %v", hash, err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 800 || w != 1280 || h != 800 {
		t.Errorf("screenshot %s is %v (recorded %dx%d), want the display's 1280x800", hash, b, w, h)
	}
}
