//go:build e2e && wine

package e2e

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/displaytest"
)

// The private desktop the Windows build records under Wine: its size
// differs from the suite's Xvfb, so a screenshot of the wrong display
// shows in its dimensions.
const wineScreenW, wineScreenH = 1024, 768

// Titles of the two Win32 windows (window.exe appends " — Übersicht").
const (
	wineWorkTitle = "wd-wine-work"
	wineBankTitle = "wd-wine-bank"
)

// The Windows build records under Wine what it records on Windows: `track`
// of workdiary.exe takes screenshots of the screen through GDI, reads the
// window in front (a Win32 program's title, beyond ASCII, and its .exe),
// counts input through workdiary-input.exe (gohook's low-level hooks)
// and keeps an excluded app out: painted over while visible, a placeholder
// and "(excluded)" while in front. The contract and the diary are read
// with the Linux build, whose data folder format is the same.
func TestWindowsTrackUnderWine(t *testing.T) {
	wine := winePrefix(t)
	display := wineDesktop(t, wine)
	onDesk := append([]string{"DISPLAY=" + display, "WORKDIARY_LOCAL_ONLY=1"}, wine...)
	bin := t.TempDir()
	exe := buildWindows(t, bin, "workdiary.exe", "./cmd/workdiary")
	buildWindows(t, bin, "workdiary-input.exe", "./cmd/workdiary-input")
	window := filepath.Join(bin, "window.exe")
	src := filepath.Join(repoRoot(t), "e2e", "testdata", "wine", "window.c")
	if out, err := exec.Command("x86_64-w64-mingw32-gcc", "-O2", "-mwindows", "-o", window, src).CombinedOutput(); err != nil {
		t.Fatalf("build the Win32 test window: %v\n%s", err, out)
	}
	bankExe := displaytest.Renamed(t, bin, window, "wd-bank.exe")

	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Port", rate: "30", currency: "EUR", screenshots: 3})
	excludeApps(t, con, "wd-bank")

	// The excluded app first, beside the work window that then comes to
	// the front; neither overlaps the other.
	bank, _ := displaytest.Open(t, []string{"--name", wineBankTitle}, onDesk, "wine", bankExe, wineBankTitle, "560", "380", "360", "260", "ff0000")
	work, _ := displaytest.Open(t, []string{"--name", wineWorkTitle}, onDesk, "wine", window, wineWorkTitle, "60", "80", "400", "260", "0000ff")
	bankR, workR := displaytest.Rect(t, bank, onDesk...), displaytest.Rect(t, work, onDesk...)
	xdo(t, onDesk, "windowactivate", "--sync", work)

	trackUnderWine(t, onDesk, exe, con, id, "10m")
	segs := mustReadDiary(t, con)
	apps, shots := appsAndShots(segs)
	if want := wineWorkTitle + " — Übersicht"; apps["window.exe"] != want || len(apps) != 1 {
		t.Errorf("apps recorded %q, want only window.exe titled %q", apps, want)
	}
	keys := 0
	for _, s := range segs {
		keys += s.Keys + s.Clicks
	}
	if keys == 0 {
		t.Error("no key press or click counted: workdiary-input.exe saw none of the input")
	}
	if len(shots) == 0 {
		t.Fatal("no screenshots taken")
	}
	for _, sh := range shots {
		img := decodeShot(t, con, sh)
		if b := img.Bounds(); b.Dx() != wineScreenW || b.Dy() != wineScreenH || sh.Width != wineScreenW || sh.Height != wineScreenH {
			t.Errorf("screenshot %s is %v (recorded %dx%d), want the %dx%d screen (the X server says %q)",
				sh.Hash, b, sh.Width, sh.Height, wineScreenW, wineScreenH, screenSize(onDesk))
		}
		checkHidden(t, img, sh.Hash, workR, bankR)
	}

	// The excluded app in front: its title never enters the diary and the
	// shots are placeholders. 30 minutes cover a screenshot moment the
	// first run never reached (see TestTrackKeepsExcludedAppOut).
	xdo(t, onDesk, "windowactivate", "--sync", bank)
	trackUnderWine(t, onDesk, exe, con, id, "30m")
	checkExcludedInFront(t, con, "wd-bank.exe")
	if out := cli(t, con, diaryArgs...); strings.Contains(out, wineBankTitle) {
		t.Errorf("the diary names the excluded app's title:\n%s", out)
	}
}

// trackUnderWine runs the Windows build's `track` on the contract for d of
// a clock 60 times as fast, moving the mouse and typing meanwhile.
func trackUnderWine(t *testing.T, env []string, exe, home, id, d string) {
	t.Helper()
	track := startProc(t, env, "wine", exe, "--home", winPath(home), "track", "--contract", id[:10],
		"--memo", "port to Windows", "--for", d, "--clock-speed", "60")
	ctx, stop := context.WithCancel(context.Background())
	defer stop()
	go func() {
		for i := 0; ctx.Err() == nil; i++ {
			c := exec.CommandContext(ctx, "xdotool", "mousemove", strconv.Itoa(100+i%50*4), "200", "key", "shift")
			c.Env = append(os.Environ(), env...)
			_ = c.Run()
			time.Sleep(300 * time.Millisecond)
		}
	}()
	select {
	case <-track.done:
	case <-time.After(3 * time.Minute):
		t.Fatalf("wine workdiary.exe track did not end; output:\n%s", track.out.String())
	}
	if track.err != nil {
		t.Fatalf("wine workdiary.exe track: %v\n%s", track.err, track.out.String())
	}
}

// buildWindows cross-builds a command for windows/amd64 into dir: without
// cgo, or with mingw-w64 for the input helper (gohook is C).
func buildWindows(t *testing.T, dir, name, pkg string) string {
	t.Helper()
	out := filepath.Join(dir, name)
	build := exec.Command("go", "build", "-o", out, pkg)
	build.Dir = repoRoot(t)
	build.Env = append(os.Environ(), "GOOS=windows", "GOARCH=amd64", "CGO_ENABLED=0")
	if pkg == "./cmd/workdiary-input" {
		build.Env = append(build.Env, "CGO_ENABLED=1", "CC=x86_64-w64-mingw32-gcc")
	}
	if b, err := build.CombinedOutput(); err != nil {
		t.Fatalf("build %s: %v\n%s", name, err, b)
	}
	return out
}

// wineDesktop starts a private Xvfb of wineScreenW×wineScreenH with the
// openbox window manager and returns its display name. Wine's server is
// stopped before (it may serve another display) and after, with every
// Windows program of the prefix.
func wineDesktop(t *testing.T, wine []string) string {
	t.Helper()
	stopWine := func() {
		k := exec.Command("wineserver", "-k")
		k.Env = append(os.Environ(), wine...)
		_ = k.Run()
		w := exec.Command("wineserver", "-w")
		w.Env = k.Env
		_ = w.Run()
	}
	stopWine()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	xvfb := exec.Command("Xvfb", "-displayfd", "3", "-nolisten", "tcp",
		"-screen", "0", strconv.Itoa(wineScreenW)+"x"+strconv.Itoa(wineScreenH)+"x24")
	xvfb.ExtraFiles = []*os.File{w}
	if err := xvfb.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() { _ = xvfb.Process.Kill(); _ = xvfb.Wait() })
	num := make(chan string, 1)
	go func() {
		b := make([]byte, 16)
		n, _ := r.Read(b)
		num <- string(bytes.TrimSpace(b[:n]))
	}()
	var display string
	select {
	case n := <-num:
		display = ":" + n
	case <-time.After(15 * time.Second):
		t.Fatal("Xvfb did not start within 15s")
	}
	wm := exec.Command("openbox", "--sm-disable")
	wm.Env = append(os.Environ(), "DISPLAY="+display)
	if err := wm.Start(); err != nil {
		t.Fatalf("start openbox: %v", err)
	}
	// Registered last, so it runs first: Wine's windows go before their
	// window manager and display.
	t.Cleanup(func() { _ = wm.Process.Kill(); _ = wm.Wait() })
	t.Cleanup(stopWine)
	return display
}

// screenSize is what the X server says of its screen's size, to tell a
// wrong screen from a wrong capture when the sizes disagree.
func screenSize(env []string) string {
	c := exec.Command("xdpyinfo")
	c.Env = append(os.Environ(), env...)
	out, err := c.Output()
	if err != nil {
		return err.Error()
	}
	for _, line := range strings.Split(string(out), "\n") {
		if k, v, ok := strings.Cut(strings.TrimSpace(line), ":"); ok && k == "dimensions" {
			return strings.TrimSpace(v)
		}
	}
	return "no dimensions"
}

// xdo runs xdotool on the given display environment.
func xdo(t *testing.T, env []string, args ...string) {
	t.Helper()
	c := exec.Command("xdotool", args...)
	c.Env = append(os.Environ(), env...)
	if out, err := c.CombinedOutput(); err != nil {
		t.Fatalf("xdotool %v: %v %s", args, err, out)
	}
}
