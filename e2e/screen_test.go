//go:build e2e

package e2e

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// screenFill is what busyScreen keeps showing.
type screenFill int

const (
	// clockLines prints the time many times a second: screenshots differ,
	// and each is its own image file.
	clockLines screenFill = iota
	// randomText fills the display with random text: every screenshot
	// differs and takes real room on the disk.
	randomText
)

// busyScreen shows a terminal that keeps changing what the display shows,
// until the test ends.
func busyScreen(t *testing.T, display string, fill screenFill) {
	t.Helper()
	switch fill {
	case clockLines:
		startXterm(t, display, "wd-e2e-clock", "-geometry", "100x30+40+40", "-e", "sh", "-c",
			"while :; do date +%T.%N; sleep 0.05; done")
	case randomText:
		startXterm(t, display, "wd-e2e-disk", "-geometry", "200x60+0+0", "-e", "sh", "-c",
			"while :; do head -c 6000 /dev/urandom | base64 -w 190; sleep 0.05; done")
	default:
		t.Fatalf("busyScreen: no fill %d", fill)
	}
}

// startXterm opens a terminal titled title on the display, waits until its
// window shows and returns the window's ID; the test's cleanup closes it.
func startXterm(t *testing.T, display, title string, args ...string) string {
	t.Helper()
	term := exec.Command("xterm", append([]string{"-T", title}, args...)...)
	term.Env = append(os.Environ(), "DISPLAY="+display)
	if err := term.Start(); err != nil {
		t.Fatalf("start xterm: %v", err)
	}
	t.Cleanup(func() { _ = term.Process.Kill(); _, _ = term.Process.Wait() })
	return waitForWindow(t, title, 20*time.Second)
}
