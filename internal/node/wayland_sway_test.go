//go:build linux

package node_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/session"
	"github.com/workdiary/workdiary/internal/wayland"
	"github.com/workdiary/workdiary/internal/wayland/waylandtest"
)

// TestTrackingOnSway: typing into a native Wayland window on a wlroots
// compositor counts as active minutes (from its idle notifications), the
// window in front is named by its app ID, screenshots come through the
// desktop portal, and the segment says that activity is active minutes;
// when the portal refuses, the segment says the screenshots are missing.
func TestTrackingOnSway(t *testing.T) {
	for _, portal := range []bool{true, false} {
		t.Run(map[bool]string{true: "portal", false: "portal refusing"}[portal], func(t *testing.T) { trackOnSway(t, portal) })
	}
}

func trackOnSway(t *testing.T, portal bool) {
	defer node.SetIdleTimeout(300 * time.Millisecond)()
	sway := waylandtest.Sway(t)
	sway.Portal(t, portal)
	sway.Start(t, "weston-flower")
	waitForWindow(t)
	wantLimits := ledger.LimitIdleNotified
	if !portal {
		wantLimits |= ledger.LimitNoScreenshots
	}

	con, cid := contractorNode(t, "", false)
	clk := con.Clock.(*clocktest.Fake)
	st, err := con.TrackingStatus(cid)
	if err != nil || st.Session.Kind != session.Wayland || st.Session.Limits != ledger.LimitIdleNotified {
		t.Fatalf("status %+v, %v; want Wayland with idle notifications and a window list", st.Session, err)
	}
	idle := watchIdle(t)
	start := clk.Now()
	s, err := con.StartTracking(context.Background(), node.TrackParams{Contract: cid, Memo: "on sway", KeepIdle: true}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	advance := func(d time.Duration) { advanceSlowly(clk, d) }
	idle.await(t, true) // the compositor reports nobody there
	advance(time.Minute)
	sway.Type(t, "hello")
	idle.await(t, false)     // resumed,
	idle.await(t, true)      // then idle again
	advance(9 * time.Minute) // the rest of the segment: its screenshot's moment comes
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	views, err := con.Diary(node.DiaryParams{Contract: cid, From: start.Add(-time.Hour), To: start.Add(time.Hour)})
	if err != nil || len(views) != 1 {
		t.Fatalf("diary: %d segments, %v", len(views), err)
	}
	v := views[0]
	active := []int{}
	for _, m := range v.Minutes {
		if m.Active() {
			active = append(active, m.Index)
		}
	}
	if !slices.Equal(active, []int{1}) || v.Keys != 0 {
		t.Errorf("active minutes %v, keys %d; want only minute 1 (typed), and no counts", active, v.Keys)
	}
	if v.ActivityMeasure != "active minutes" || !slices.Equal(v.Unverified, wantLimits.Reasons()) {
		t.Errorf("measure %q, unverified %q; want active minutes and %q", v.ActivityMeasure, v.Unverified, wantLimits.Reasons())
	}
	if shots := len(v.Screenshots); (shots > 0) != portal {
		t.Errorf("%d screenshots with the portal working: %v", shots, portal)
	}
	if len(v.Apps) == 0 || v.Apps[0].Name != "org.freedesktop.weston.flower" {
		t.Errorf("apps %+v, want weston-flower's app ID", v.Apps)
	}
}

func waitForWindow(t *testing.T) {
	t.Helper()
	cl, err := wayland.Connect()
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	tl, err := cl.WatchToplevels()
	if err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if _, ok := tl.Active(); ok {
			return
		}
	}
	t.Fatal("no window in front within 5s")
}

// idleWatch hears the compositor's idle notifications on a connection
// of its own, with the tracker's timeout: the compositor tells both at
// the same moment, so the test waits for what the tracker is told
// instead of sleeping for it.
type idleWatch chan bool

func watchIdle(t *testing.T) idleWatch {
	t.Helper()
	cl, err := wayland.Connect()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cl.Close() })
	w := make(idleWatch, 16)
	if _, err := cl.WatchIdle(300*time.Millisecond, func(idle bool) { w <- idle }); err != nil {
		t.Fatal(err)
	}
	return w
}

// await waits for the notification want, then a moment for the
// tracker's own connection to have handled the same one.
func (w idleWatch) await(t *testing.T, want bool) {
	t.Helper()
	timeout := time.After(10 * time.Second)
	for {
		select {
		case got := <-w:
			if got == want {
				time.Sleep(100 * time.Millisecond)
				return
			}
		case <-timeout:
			t.Fatalf("the compositor did not report idle=%v within 10s", want)
		}
	}
}
