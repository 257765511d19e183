//go:build e2e

package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	return filepath.Dir(filepath.Dir(file))
}

// binary is a program from `make build`; the test fails (never skips) when
// it is missing, because then the build is what is broken.
func binary(t *testing.T, name string) string {
	t.Helper()
	p := filepath.Join(repoRoot(t), "build", "bin", name)
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("%s is missing: run `make build` first (%v)", p, err)
	}
	return p
}

func outDir(t *testing.T) string {
	t.Helper()
	d := filepath.Join(repoRoot(t), "build", "e2e-out")
	if err := os.MkdirAll(d, 0o755); err != nil {
		t.Fatal(err)
	}
	return d
}

// requireDisplay returns DISPLAY; `make test-e2e` runs the tests under
// scripts/with-display.sh, which provides one.
func requireDisplay(t *testing.T) string {
	t.Helper()
	d := os.Getenv("DISPLAY")
	if d == "" {
		t.Fatal("DISPLAY is unset: run through `make test-e2e` (scripts/with-display.sh starts Xvfb + openbox)")
	}
	return d
}

// workdiaryCommand is `workdiary --home HOME args…`, not started yet.
func workdiaryCommand(t *testing.T, home string, args ...string) *exec.Cmd {
	t.Helper()
	return exec.Command(binary(t, "workdiary"), append([]string{"--home", home}, args...)...)
}

// cli runs a workdiary command that must succeed and returns its stdout.
func cli(t *testing.T, home string, args ...string) string {
	t.Helper()
	out, err := tryCLI(t, home, args...)
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// tryCLI runs a workdiary command and returns its stdout, or an error
// with its stderr.
func tryCLI(t *testing.T, home string, args ...string) (string, error) {
	t.Helper()
	cmd := workdiaryCommand(t, home, args...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("workdiary %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// waitFor fails the test unless out shows text within d.
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

// run runs a tool the test drives the display with (xdotool), which must
// succeed.
func run(t *testing.T, name string, args ...string) {
	t.Helper()
	if out, err := exec.Command(name, args...).CombinedOutput(); err != nil {
		t.Fatalf("%s %v: %v %s", name, args, err, out)
	}
}

func waitForWindow(t *testing.T, name string, timeout time.Duration) string {
	t.Helper()
	deadline := time.Now().Add(timeout)
	for time.Now().Before(deadline) {
		out, err := exec.Command("xdotool", "search", "--onlyvisible", "--name", name).Output()
		if ids := strings.Fields(string(out)); err == nil && len(ids) > 0 {
			return ids[0]
		}
		time.Sleep(250 * time.Millisecond)
	}
	t.Fatalf("no visible window named %q within %v", name, timeout)
	return ""
}
