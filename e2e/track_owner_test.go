//go:build e2e

package e2e

import (
	"strings"
	"syscall"
	"testing"
	"time"
)

// trackStatus is `workdiary track status --json` (and `track stop --json`).
type trackStatus struct {
	Running      bool      `json:"running"`
	Contract     string    `json:"contract"`
	Memo         string    `json:"memo"`
	Started      time.Time `json:"started"`
	Ends         time.Time `json:"ends"`
	Owner        string    `json:"owner"`
	TodayMinutes int       `json:"today_minutes"`
	Stopped      bool      `json:"stopped"`
}

func readTrackStatus(t *testing.T, home string) trackStatus {
	t.Helper()
	return decodeJSON[trackStatus](t, "track status --json", cli(t, home, "track", "status", "--json"))
}

// With `serve` owning the folder, `track` asks it to record and follows the
// session; `track status` reports it, a second `track` is refused naming
// it, `track stop` ends it (and the follower with it), Ctrl-C of a follower
// ends its session, and `--detach --for` leaves one that ends by itself.
func TestTrackThroughServe(t *testing.T) {
	requireDisplay(t)
	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Owner", rate: "30.00", currency: "EUR"})
	serve := startServe(t, con, "/ip4/127.0.0.1/tcp/0")

	// At 60× a wall second is a minute of diary: 30m lasts 30 s.
	track := startWorkdiary(t, nil, con, "track", "--contract", id[:10], "--memo", "through serve",
		"--for", "30m", "--clock-speed", "60")
	if !track.waitOutput("in workdiary serve", 30*time.Second) {
		t.Fatalf("track with serve running: no \"Tracking … in workdiary serve\"; output:\n%s", track.hungOutput())
	}
	st := readTrackStatus(t, con)
	if !st.Running || st.Contract != id || st.Memo != "through serve" || st.Owner != "workdiary serve" || st.Ends.IsZero() {
		t.Fatalf("track status = %+v; want contract %s running in workdiary serve with an end", st, id[:12])
	}
	if _, err := tryCLI(t, con, "track", "--contract", id, "--memo", "again"); err == nil ||
		!strings.Contains(err.Error(), "already running") || !strings.Contains(err.Error(), "track stop") {
		t.Errorf("second track: err = %v; want a refusal naming the running session and `track stop`", err)
	}
	time.Sleep(5 * time.Second)
	if out := cli(t, con, "track", "stop"); !strings.Contains(out, `Stopped tracking "Owner"`) {
		t.Errorf("track stop printed %q; want it to name the stopped session", out)
	}
	if !track.endsWithin(10 * time.Second) {
		t.Fatalf("the following track did not end after `track stop`; output:\n%s", track.hungOutput())
	}
	if track.err != nil || !strings.Contains(track.out.String(), "Stopped.") {
		t.Errorf("following track ended with %v; output:\n%s", track.err, track.out.String())
	}
	if st := readTrackStatus(t, con); st.Running {
		t.Fatalf("after track stop, status = %+v; want not running", st)
	}
	first := trackedMinutes(t, con, "through serve")
	if first < 3 || first > 15 {
		t.Errorf("%d minutes recorded in about 5 s at 60×; want 3–15", first)
	}

	// Ctrl-C (SIGTERM) of the follower asks the owner to stop.
	track = startWorkdiary(t, nil, con, "track", "--contract", id[:10], "--memo", "interrupted", "--for", "30m", "--clock-speed", "60")
	if !track.waitOutput("Ctrl-C stops", 30*time.Second) {
		t.Fatalf("second follower did not start; output:\n%s", track.hungOutput())
	}
	time.Sleep(3 * time.Second)
	_ = track.cmd.Process.Signal(syscall.SIGTERM)
	if !track.endsWithin(10*time.Second) || track.err != nil {
		t.Fatalf("follower after SIGTERM: ended %v, err %v; output:\n%s", track.exited(), track.err, track.out.String())
	}
	if st := readTrackStatus(t, con); st.Running {
		t.Fatalf("after the follower was stopped, status = %+v; want the owner's session stopped too", st)
	}

	// --detach returns at once; --for ends the session in the owner.
	out := cli(t, con, "track", "--contract", id[:10], "--memo", "detached", "--for", "4m", "--clock-speed", "60", "--detach")
	if !strings.Contains(out, "track stop") {
		t.Errorf("track --detach printed %q; want how to stop it", out)
	}
	if st := readTrackStatus(t, con); !st.Running || st.Memo != "detached" {
		t.Fatalf("after track --detach, status = %+v; want the detached session running", st)
	}
	deadline := time.Now().Add(20 * time.Second)
	for readTrackStatus(t, con).Running {
		if time.Now().After(deadline) {
			t.Fatal("a detached session of 4m at 60× still runs after 20 s")
		}
		time.Sleep(500 * time.Millisecond)
	}
	if got := trackedMinutes(t, con, "detached"); got < 3 || got > 5 {
		t.Errorf("the detached 4m session recorded %d minutes; want about 4", got)
	}
	now := time.Now()
	for _, s := range mustReadDiary(t, con) {
		if s.Start.After(now) {
			t.Errorf("segment %s starts at %v, in the future: a fast clock ran past the present", s.ID, s.Start)
		}
	}
	if serve.exited() {
		t.Fatalf("serve exited; output:\n%s", serve.out.String())
	}
}

// A foreground `track` owns the folder, so it answers `track status` and
// `track stop` through its own control socket.
func TestForegroundTrackAnswersStatusAndStop(t *testing.T) {
	requireDisplay(t)
	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Alone", rate: "30.00", currency: "EUR"})
	track := startWorkdiary(t, nil, con, "track", "--contract", id[:10], "--memo", "alone", "--for", "30m", "--clock-speed", "60")
	if !track.waitOutput("Tracking", 30*time.Second) {
		t.Fatalf("track did not start; output:\n%s", track.hungOutput())
	}
	if st := readTrackStatus(t, con); !st.Running || st.Owner != "workdiary track" || st.Memo != "alone" {
		t.Fatalf("track status = %+v; want the session running in workdiary track", st)
	}
	time.Sleep(3 * time.Second)
	cli(t, con, "track", "stop")
	if !track.endsWithin(10*time.Second) || track.err != nil || !strings.Contains(track.out.String(), "Stopped.") {
		t.Fatalf("foreground track after `track stop`: ended %v, err %v; output:\n%s", track.exited(), track.err, track.out.String())
	}
	if got := trackedMinutes(t, con, "alone"); got < 2 {
		t.Errorf("%d minutes recorded; want the ones before the stop", got)
	}
	if out := cli(t, con, "track", "status"); !strings.Contains(out, "Not tracking.") {
		t.Errorf("track status with nothing running printed %q", out)
	}
}

// trackedMinutes counts the diary's minutes with memo.
func trackedMinutes(t *testing.T, home, memo string) int {
	t.Helper()
	n := 0
	for _, s := range mustReadDiary(t, home) {
		if s.Memo == memo {
			n += len(s.Minutes)
		}
	}
	return n
}
