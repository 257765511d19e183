//go:build e2e && linux

package e2e

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/wayland/waylandtest"
)

// A Wayland session (sway, no X at all): `track` says before it records
// that screenshots cannot be taken and what to do, keeps going, counts the
// minutes typed into a native Wayland window as active from the
// compositor's idle notifications, names that window's app, and marks
// every segment in the diary with why it is unverified.
func TestTrackOnWayland(t *testing.T) {
	sway := waylandtest.Sway(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "") // no screenshot portal: this test is about doing without
	sway.Start(t, "weston-flower")
	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Wayland", rate: "35.00", currency: "USD",
		screenshots: 1, terms: []string{"--unverified", "exclude"}})

	track := startWorkdiary(t, nil, con, "track", "--contract", id[:10], "--memo", "on sway", "--idle", "keep",
		"--for", "10m", "--clock-speed", "30")
	waitFor(t, track.out, "Tracking", 20*time.Second)
	out := track.out.String()
	session := strings.Index(out, "session: Wayland session: screenshots cannot be taken")
	if session < 0 || session > strings.Index(out, "Tracking") || !strings.Contains(out, "log in to an X11 session") {
		t.Errorf("track did not say what the Wayland session will not record, and what to do, before recording:\n%s", out)
	}
	for i := 0; i < 6; i++ {
		time.Sleep(2 * time.Second)
		sway.Type(t, "make test")
	}
	if err := track.wait(); err != nil {
		t.Fatalf("track: %v\n%s", err, track.out.String())
	}

	segs := mustReadDiary(t, con)
	if len(segs) == 0 {
		t.Fatalf("no segments recorded on Wayland\n%s", track.out.String())
	}
	active, flower := 0, false
	for _, s := range segs {
		if !slices.Contains(s.Unverified, "screenshots unavailable in this session") || s.ActivityMeasure != "active minutes" {
			t.Errorf("segment %s: unverified %q, measure %q", s.ID, s.Unverified, s.ActivityMeasure)
		}
		if s.Keys != 0 || len(s.Screenshots) != 0 {
			t.Errorf("segment %s: %d keys, %d screenshots; a Wayland session gives neither", s.ID, s.Keys, len(s.Screenshots))
		}
		for _, m := range s.Minutes {
			if m.Moved {
				active++
			}
		}
		for _, a := range s.Apps {
			flower = flower || a.Name == "org.freedesktop.weston.flower"
		}
	}
	if active == 0 || !flower {
		t.Errorf("%d active minutes, weston-flower named: %v; want the typed minutes active and the window's app\n%s",
			active, flower, track.out.String())
	}
	status := cli(t, con, "track", "status", "--contract", id[:10])
	if !strings.Contains(status, "screenshots cannot be taken") {
		t.Errorf("track status does not say what the session keeps from the tracker:\n%s", status)
	}
}
