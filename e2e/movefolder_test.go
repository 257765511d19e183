//go:build e2e

package e2e

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// `workdiary move-folder` as a person runs it: refused while `serve` owns
// the folder (nothing moves); with the resident agent recording, the
// agent gives the folder up, it moves to another disk (copied, checked,
// the old one removed), and the agent starts again in the new place,
// carrying the session on; the command line finds the folder there
// without --home, and the login entry follows it.
func TestMoveFolderFromTheCommandLine(t *testing.T) {
	display := requireDisplay(t)
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Moving", rate: "30.00", currency: "EUR"})
	to := filepath.Join(t.TempDir(), "moved")
	if shm, err := os.MkdirTemp("/dev/shm", "wd-e2e-move-"); err == nil {
		t.Cleanup(func() { os.RemoveAll(shm) })
		to = filepath.Join(shm, "workdiary") // another file system: the copy
	}
	t.Cleanup(func() { killOwner(t, con); killOwner(t, to) })

	serve := startServe(t, con, "")
	out, err := workdiaryCommand(t, con, "move-folder", to).CombinedOutput()
	if err == nil || !strings.Contains(string(out), "serve") {
		t.Fatalf("move-folder with serve running: %v\n%s\nwant a refusal that says to stop serve", err, out)
	}
	if _, err := os.Stat(to); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("a refused move created %s (%v)", to, err)
	}
	serve.stop(t, 15*time.Second)

	startWorkdiary(t, []string{"DISPLAY=" + display}, con, "agent", "--no-tray", "--contract", id, "--memo", "before the move")
	if st := waitOwner(t, con, roleAgent, 20*time.Second); !st.Running {
		t.Fatalf("the agent is not recording: %+v", st)
	}
	cli(t, emp, "autostart", "off") // only the contractor's entry is looked at
	cli(t, con, "autostart", "on")
	out, err = workdiaryCommand(t, con, "move-folder", to).CombinedOutput()
	if err != nil {
		t.Fatalf("move-folder with the agent running: %v\n%s", err, out)
	}
	if _, err := os.Stat(con); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("the old folder %s remains after the move (%v):\n%s", con, err, out)
	}
	st := waitOwner(t, to, roleAgent, 30*time.Second)
	if !st.Running || st.Contract != id || st.Memo != "before the move" {
		t.Fatalf("after the move, track status = %+v; want the agent recording the same session in the new place", st)
	}

	// Without --home or WORKDIARY_HOME the command line finds it.
	cmd := exec.Command(binary(t, "workdiary"), "track", "status", "--json")
	cmd.Env = withoutHome(os.Environ())
	b, err := cmd.Output()
	if err != nil || !strings.Contains(string(b), `"running": true`) {
		t.Fatalf("track status without --home: %v\n%s", err, b)
	}
	entry, err := os.ReadFile(filepath.Join(cfg, "autostart", "workdiary.desktop"))
	if err != nil || !strings.Contains(string(entry), "--home "+to+" agent") {
		t.Fatalf("login entry after the move (%v):\n%s\nwant it to start the agent on %s", err, entry, to)
	}
}

func withoutHome(env []string) []string {
	var out []string
	for _, kv := range env {
		if !strings.HasPrefix(kv, "WORKDIARY_HOME=") {
			out = append(out, kv)
		}
	}
	return out
}
