//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"fmt"
	"image/jpeg"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

type segmentJSON struct {
	ID      string                       `json:"id"`
	State   string                       `json:"state"`
	Memo    string                       `json:"memo"`
	Keys    int                          `json:"keys"`
	Clicks  int                          `json:"clicks"`
	Minutes []struct{ Keys, Clicks int } `json:"minutes"`
	Apps    []struct {
		Name, Title string
		Seconds     int
	} `json:"apps"`
	Screenshots []struct {
		Hash          string
		Width, Height int
		Bytes         int
		Redacted      bool
	} `json:"screenshots"`
}

// Offer → offline accept → track at a fast clock with real key presses
// and clicks driven into a focused xterm → the diary holds exactly those
// counts, screenshots of the display, and xterm as the app.
func TestTrackRecordsRealInput(t *testing.T) {
	display := requireDisplay(t)
	emp, con := t.TempDir(), t.TempDir()
	cli(t, emp, "init", "--name", "Employer")
	cli(t, con, "init", "--name", "Contractor")
	code := strings.TrimSpace(cli(t, emp, "contract", "offer", "--title", "Parser", "--rate", "35.00",
		"--currency", "USD", "--weekly-limit", "40", "--screenshots", "2"))
	cli(t, con, "contract", "accept", code, "--offline")
	var list []struct{ ID, State string }
	if err := json.Unmarshal([]byte(cli(t, con, "contract", "list", "--json")), &list); err != nil || len(list) != 1 {
		t.Fatalf("contract list: %v %v", list, err)
	}

	term := exec.Command("xterm", "-T", "wd-e2e-track", "-e", "sleep", "120")
	term.Env = append(os.Environ(), "DISPLAY="+display)
	if err := term.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = term.Process.Kill(); _, _ = term.Process.Wait() })
	win := waitForWindow(t, "wd-e2e-track", 20*time.Second)
	if out, err := exec.Command("xdotool", "windowactivate", "--sync", win).CombinedOutput(); err != nil {
		t.Fatalf("activate xterm: %v %s", err, out)
	}

	track := exec.Command(binary(t, "workdiary"), "--home", con, "track", "--contract", list[0].ID[:10],
		"--memo", "parser tests", "--for", "20m", "--clock-speed", "60")
	track.Env = append(os.Environ(), "DISPLAY="+display)
	var out bytes.Buffer
	track.Stdout, track.Stderr = &out, &out
	if err := track.Start(); err != nil {
		t.Fatal(err)
	}
	waitFor(t, &out, "Tracking", 20*time.Second)
	// One tracker per data folder: a second one is refused and says why.
	second := exec.Command(binary(t, "workdiary"), "--home", con, "track", "--contract", list[0].ID, "--memo", "again", "--for", "1m")
	second.Env = track.Env
	if msg, err := second.CombinedOutput(); err == nil || !strings.Contains(string(msg), "workdiary track already runs") {
		t.Errorf("second tracker on the same folder: err = %v, output %q; want a refusal naming the running tracker", err, msg)
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
	if err := track.Wait(); err != nil {
		t.Fatalf("track: %v\n%s", err, out.String())
	}

	var segs []segmentJSON
	if err := json.Unmarshal([]byte(cli(t, con, "diary", "--json")), &segs); err != nil {
		t.Fatal(err)
	}
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
		t.Errorf("diary counts %d keys and %d clicks, want exactly 7 and 3\n%s", keys, clicks, out.String())
	}
	if shots == 0 || !xterm {
		t.Errorf("%d screenshots, xterm seen: %v; want screenshots and xterm with its title", shots, xterm)
	}
}

func checkScreenshot(t *testing.T, home, hash string, w, h int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(home, "blobs", hash[:2], hash))
	if err != nil {
		t.Fatalf("screenshot %s is not on disk: %v", hash, err)
	}
	img, err := jpeg.Decode(bytes.NewReader(data))
	if err != nil {
		t.Fatalf("screenshot %s is not a JPEG: %v", hash, err)
	}
	if b := img.Bounds(); b.Dx() != 1280 || b.Dy() != 800 || w != 1280 || h != 800 {
		t.Errorf("screenshot %s is %v (recorded %dx%d), want the display's 1280x800", hash, b, w, h)
	}
}

func waitFor(t *testing.T, out fmt.Stringer, text string, d time.Duration) {
	t.Helper()
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if strings.Contains(out.String(), text) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("no %q within %v; output:\n%s", text, d, out.String())
}

func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v %s", name, args, err, out)
	}
}
