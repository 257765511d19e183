//go:build e2e

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/displaytest"
)

// An app excluded with `workdiary config set` while `serve` records a
// session is kept out from then on, without a restart: the session reads
// the settings at every step.
func TestExclusionSetDuringASessionApplies(t *testing.T) {
	display := requireDisplay(t)
	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Parser", rate: "35.00", currency: "USD"})
	bankExe := displaytest.Renamed(t, t.TempDir(), "/usr/bin/xterm", "wd-e2e-bank")
	onDisplay := []string{"DISPLAY=" + display}
	bank, _ := displaytest.Open(t, nil, onDisplay, bankExe, "-T", bankTitle, "-geometry", "50x12+20+40", "-e", "sleep", "300")
	run(t, "xdotool", "windowactivate", "--sync", bank)

	serve := startServe(t, con, "")
	defer serve.stop(t, 10*time.Second)
	cli(t, con, "track", "--contract", id[:10], "--memo", "banking", "--for", "30m", "--clock-speed", "60", "--detach")
	// Twelve minutes of the session's clock: its first segment (at most ten
	// minutes, as segments start on the clock's tens) is complete.
	time.Sleep(12 * time.Second)
	if out := cli(t, con, "config", "set", "excluded_apps", "wd-e2e-bank"); !strings.Contains(out, "applies now") {
		t.Fatalf("config set excluded_apps: %q, want it applied now", out)
	}
	changed := time.Now()
	deadline := time.Now().Add(60 * time.Second)
	for readTrackStatus(t, con).Running {
		if time.Now().After(deadline) {
			t.Fatal("a 30m session at 60× still runs after 60 s")
		}
		time.Sleep(500 * time.Millisecond)
	}
	segs := mustReadDiary(t, con)
	if len(segs) < 3 {
		t.Fatalf("%d segments recorded in 30 minutes, want at least 3", len(segs))
	}
	// The session may begin at the very end of a segment that then holds
	// no app, so "before" is any segment with the title ahead of the first
	// excluded one, and no segment after that may show the title again.
	before, after := 0, 0
	for _, s := range segs {
		for _, a := range s.Apps {
			if a.Name != "wd-e2e-bank" {
				continue
			}
			switch {
			case a.Title == bankTitle && after == 0:
				before++
			case a.Title == bankTitle:
				t.Errorf("segment %s records the bank's title %s after it was excluded at %s", s.Start.Format(time.TimeOnly), a.Title, changed.Format(time.TimeOnly))
			case a.Title == "(excluded)":
				after++
			}
		}
	}
	if before == 0 || after == 0 {
		for _, s := range segs {
			t.Logf("segment %s: %+v", s.Start.Format(time.TimeOnly), s.Apps)
		}
		t.Errorf("bank's title recorded in %d segments before the change and %q in %d after; want both", before, "(excluded)", after)
	}
}
