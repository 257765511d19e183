//go:build e2e

package e2e

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"
	"time"
)

// kill -9 the tracker mid-segment, then track again: the store opens, the
// minutes recorded before the kill are there (at most the current one
// lost), and no minute or segment is recorded twice.
func TestTrackerSurvivesKill9(t *testing.T) {
	display := requireDisplay(t)
	emp, con := t.TempDir(), t.TempDir()
	cli(t, emp, "init", "--name", "Employer")
	cli(t, con, "init", "--name", "Contractor")
	code := strings.TrimSpace(cli(t, emp, "contract", "offer", "--title", "Crash", "--rate", "10", "--currency", "EUR", "--screenshots", "1"))
	cli(t, con, "contract", "accept", code, "--offline")
	var list []struct{ ID string }
	_ = json.Unmarshal([]byte(cli(t, con, "contract", "list", "--json")), &list)

	track := func(dur string) (*exec.Cmd, *bytes.Buffer) {
		cmd := exec.Command(binary(t, "workdiary"), "--home", con, "track", "--contract", list[0].ID,
			"--memo", "crash test", "--for", dur, "--clock-speed", "60")
		cmd.Env = append(os.Environ(), "DISPLAY="+display)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		return cmd, &out
	}
	first, out := track("30m")
	waitFor(t, out, "Tracking", 20*time.Second)
	started := time.Now()
	time.Sleep(9 * time.Second)
	elapsed := time.Since(started)
	if err := first.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = first.Wait()

	minutes := recordedMinutes(t, con)
	// Each wall second is a tracked minute at 60x; allow the minute in
	// progress and one of start-up.
	if want := int(elapsed.Seconds()) - 2; minutes < want {
		t.Fatalf("after kill -9: %d minutes recorded in %v at 60x, want at least %d", minutes, elapsed, want)
	}

	second, out2 := track("4m")
	if err := second.Wait(); err != nil {
		t.Fatalf("restart after kill -9: %v\n%s", err, out2.String())
	}
	if after := recordedMinutes(t, con); after <= minutes {
		t.Fatalf("the restarted tracker recorded nothing: %d then %d minutes", minutes, after)
	}
}

// recordedMinutes counts the diary's minutes and fails on any duplicate.
func recordedMinutes(t *testing.T, home string) int {
	t.Helper()
	var segs []struct {
		ID      string
		Start   time.Time
		Minutes []struct{ Minute int }
	}
	if err := json.Unmarshal([]byte(cli(t, home, "diary", "--json")), &segs); err != nil {
		t.Fatal(err)
	}
	seen := map[time.Time]bool{}
	n := 0
	for _, s := range segs {
		for _, m := range s.Minutes {
			at := s.Start.Add(time.Duration(m.Minute) * time.Minute)
			if seen[at] {
				t.Fatalf("minute %v recorded twice", at)
			}
			seen[at] = true
			n++
		}
	}
	return n
}
