//go:build e2e

package e2e

import (
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

func cli(t *testing.T, home string, args ...string) string {
	t.Helper()
	cmd := exec.Command(binary(t, "workdiary"), append([]string{"--home", home}, args...)...)
	out, err := cmd.Output()
	if err != nil {
		msg := ""
		if ee, ok := err.(*exec.ExitError); ok {
			msg = string(ee.Stderr)
		}
		t.Fatalf("workdiary %s: %v: %s", strings.Join(args, " "), err, msg)
	}
	return string(out)
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

func waitExit(t *testing.T, cmd *exec.Cmd, timeout time.Duration) {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case <-done:
	case <-time.After(timeout):
		t.Fatalf("%s did not exit within %v of SIGTERM", cmd.Path, timeout)
	}
}
