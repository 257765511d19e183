//go:build e2e

package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The tracker killed with SIGKILL while the idle question waits: real key
// presses, then none for half an hour at 120x, then presses again, with
// the question (`track --idle ask`, standard input at its end) left
// unanswered while tracking goes on. After the kill every minute is
// there, the idle ones still marked as waiting, screenshots were taken
// after the question, and approve leaves the waiting segments out. The
// next run asks again; answered "discard" on standard input, the idle
// minutes go, a segment that was idle throughout goes with its images,
// and everything else stays as it was.
func TestIdleQuestionSurvivesKill(t *testing.T) {
	display := requireDisplay(t)
	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Idle", rate: "30.00", currency: "EUR", screenshots: 1})
	setIdleMinutes(t, con, 3)
	busyScreen(t, display, clockLines) // every screenshot its own image
	win := startXterm(t, display, "wd-e2e-idle", "-e", "sleep", "120")
	run(t, "xdotool", "windowactivate", "--sync", win)
	press := func(d time.Duration) {
		for end := time.Now().Add(d); time.Now().Before(end); {
			run(t, "xdotool", "key", "--window", win, "a")
			time.Sleep(300 * time.Millisecond)
		}
	}

	track := startWorkdiary(t, []string{"DISPLAY=" + display}, con, "track", "--contract", id[:10],
		"--memo", "idle question", "--for", "90m", "--clock-speed", "120", "--idle", "ask")
	waitFor(t, track.out, "Tracking", 20*time.Second)
	press(1500 * time.Millisecond) // about 3 minutes of input
	time.Sleep(14 * time.Second)   // about 28 idle minutes
	press(time.Second)             // input returns
	waitFor(t, track.out, "idle-question", 10*time.Second)
	press(10 * time.Second) // 20 minutes with the question unanswered
	if track.exited() {
		t.Fatalf("the tracker ended before the kill: %v\n%s", track.err, track.out.String())
	}
	track.kill9()

	before := mustReadDiary(t, con)
	asked := idleQuestionAt(t, track.out.String())
	waiting, idleSlot, after := 0, time.Time{}, 0
	for _, s := range before {
		waiting += len(s.IdlePending)
		if len(s.IdlePending) == 10 {
			idleSlot = s.Start
		}
		for _, sh := range s.Screenshots {
			if sh.TakenAt.After(asked) {
				after++
			}
		}
	}
	if waiting < 20 || idleSlot.IsZero() {
		t.Fatalf("after kill -9, %d minutes wait for the idle question, no segment idle throughout: %v; want the idle half hour\n%s",
			waiting, idleSlot, track.out.String())
	}
	if after == 0 {
		t.Fatalf("no screenshot taken in the segments after the idle question at %s\n%s", asked.Format("15:04"), track.out.String())
	}
	st := decodeJSON[logStatus](t, "approve --json", cli(t, con, "approve", "--contract", id, "--all", "--json"))
	if st.IdlePending == 0 {
		t.Fatalf("approve --all: %+v; want the segments with idle minutes waiting left out", st)
	}
	for _, s := range mustReadDiary(t, con) {
		if len(s.IdlePending) > 0 && s.State != "recorded" {
			t.Fatalf("segment %s with minutes %v waiting for the idle question was approved", s.ID, s.IdlePending)
		}
	}

	// The next run asks again, and the answer comes on standard input.
	again := workdiaryCommand(t, con, "track", "--contract", id[:10], "--memo", "back", "--for", "3s", "--idle", "ask")
	again.Env = append(os.Environ(), "DISPLAY="+display)
	again.Stdin = strings.NewReader("discard\n")
	out, err := again.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "idle-question") || !strings.Contains(string(out), "idle-discarded") {
		t.Fatalf("track after the kill: %v\n%s; want the question asked again and the idle time discarded", err, out)
	}
	checkIdleDiscarded(t, con, before, idleSlot)
}

// checkIdleDiscarded checks the diary after the idle minutes of before
// were discarded.
func checkIdleDiscarded(t *testing.T, con string, before []segmentRecord, idleSlot time.Time) {
	t.Helper()
	now := map[time.Time]segmentRecord{}
	for _, s := range mustReadDiary(t, con) {
		now[s.Start] = s
		if len(s.IdlePending) > 0 {
			t.Errorf("segment %s still has minutes %v waiting after the answer", s.ID, s.IdlePending)
		}
	}
	for _, b := range before {
		a, ok := now[b.Start]
		if b.Start.Equal(idleSlot) {
			if ok {
				t.Errorf("segment %s, idle throughout, is still there after discarding", b.ID)
			}
			for _, sh := range b.Screenshots {
				if _, err := os.Stat(filepath.Join(con, "blobs", sh.Hash[:2], sh.Hash)); err == nil {
					t.Errorf("screenshot %s of the discarded segment %s is still on disk", sh.Hash, b.ID)
				}
			}
			continue
		}
		if want := len(b.Minutes) - len(b.IdlePending); len(a.Minutes) != want {
			t.Errorf("segment %s: %d minutes after discarding, want %d of %d", b.ID, len(a.Minutes), want, len(b.Minutes))
		}
	}
}

// idleQuestionAt is when the tracker's output says the idle question was
// asked (its clock's time of day, on the day of the run).
func idleQuestionAt(t *testing.T, out string) time.Time {
	t.Helper()
	for _, line := range strings.Split(out, "\n") {
		if i := strings.Index(line, "  idle-question"); i > 0 {
			at, err := time.Parse("15:04:05", strings.TrimSpace(line[:i]))
			if err != nil {
				t.Fatalf("idle question line %q: %v", line, err)
			}
			now := time.Now().UTC()
			day := time.Date(now.Year(), now.Month(), now.Day(), at.Hour(), at.Minute(), at.Second(), 0, time.UTC)
			if day.After(now) {
				day = day.AddDate(0, 0, -1)
			}
			return day
		}
	}
	t.Fatalf("no idle question in the output:\n%s", out)
	return time.Time{}
}

// setIdleMinutes sets the data folder's idle threshold in its config.json.
func setIdleMinutes(t *testing.T, home string, minutes int) {
	t.Helper()
	setConfig(t, home, "idle_minutes", minutes)
}
