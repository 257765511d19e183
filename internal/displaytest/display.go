package displaytest

import (
	"bufio"
	"fmt"
	"os"
	"os/exec"
	"strings"
	"sync"
	"time"
)

var (
	once    sync.Once
	display string
	startUp error
	procs   []*exec.Cmd
)

// Display returns an X display name for the current test binary, starting
// Xvfb (1280x800x24) and openbox when DISPLAY is unset. It fails the test
// with a clear message when neither works; it never skips, because a test
// that needs a display must run everywhere the suite runs.
func Display(t interface {
	Helper()
	Fatalf(string, ...any)
}) string {
	t.Helper()
	once.Do(func() { display, startUp = start() })
	if startUp != nil {
		t.Fatalf("no X display for this test: %v (install xvfb and openbox, or run `make setup`)", startUp)
	}
	return display
}

// Stop ends the Xvfb and openbox this package started. Call it from TestMain
// after m.Run.
func Stop() {
	for i := len(procs) - 1; i >= 0; i-- {
		_ = procs[i].Process.Kill()
		_ = procs[i].Wait()
	}
	procs = nil
}

func start() (string, error) {
	if d := os.Getenv("DISPLAY"); d != "" {
		return d, nil
	}
	name, err := startXvfb()
	if err != nil {
		return "", err
	}
	os.Setenv("DISPLAY", name)
	wm := exec.Command("openbox", "--sm-disable")
	wm.Env = append(os.Environ(), "DISPLAY="+name)
	if err := wm.Start(); err != nil {
		return "", fmt.Errorf("start openbox: %w", err)
	}
	procs = append(procs, wm)
	// openbox needs a moment before it manages windows.
	time.Sleep(300 * time.Millisecond)
	return name, nil
}

func startXvfb() (string, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return "", err
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "1280x800x24", "-nolisten", "tcp")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		w.Close()
		return "", fmt.Errorf("start Xvfb: %w", err)
	}
	w.Close()
	procs = append(procs, cmd)
	line := make(chan string, 1)
	go func() {
		s, _ := bufio.NewReader(r).ReadString('\n')
		line <- strings.TrimSpace(s)
	}()
	select {
	case n := <-line:
		if n == "" {
			return "", fmt.Errorf("Xvfb exited before reporting its display")
		}
		return ":" + n, nil
	case <-time.After(15 * time.Second):
		return "", fmt.Errorf("Xvfb did not report a display within 15s")
	}
}
