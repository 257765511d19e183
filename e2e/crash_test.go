//go:build e2e

package e2e

import (
	"testing"
	"time"
)

// kill -9 the tracker mid-segment, then track again: the store opens, the
// minutes recorded before the kill are there (at most the current one
// lost), and no minute or segment is recorded twice.
func TestTrackerSurvivesKill9(t *testing.T) {
	display := requireDisplay(t)
	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Crash", rate: "10", currency: "EUR", screenshots: 1})

	track := func(dur string) *proc {
		return startWorkdiary(t, []string{"DISPLAY=" + display}, con, "track", "--contract", id,
			"--memo", "crash test", "--for", dur, "--clock-speed", "60")
	}
	first := track("30m")
	waitFor(t, first.out, "Tracking", 20*time.Second)
	started := time.Now()
	time.Sleep(9 * time.Second)
	elapsed := time.Since(started)
	first.kill9()

	minutes := recordedMinutes(t, con)
	// Each wall second is a tracked minute at 60x; allow the minute in
	// progress and one of start-up.
	if want := int(elapsed.Seconds()) - 2; minutes < want {
		t.Fatalf("after kill -9: %d minutes recorded in %v at 60x, want at least %d", minutes, elapsed, want)
	}

	second := track("4m")
	if err := second.wait(); err != nil {
		t.Fatalf("restart after kill -9: %v\n%s", err, second.out.String())
	}
	if after := recordedMinutes(t, con); after <= minutes {
		t.Fatalf("the restarted tracker recorded nothing: %d then %d minutes", minutes, after)
	}
}

// recordedMinutes counts the diary's minutes and fails on any duplicate.
func recordedMinutes(t *testing.T, home string) int {
	t.Helper()
	minutes, err := minutesOf(mustReadDiary(t, home))
	if err != nil {
		t.Fatal(err)
	}
	return len(minutes)
}
