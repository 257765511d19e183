//go:build linux

package node_test

import (
	"context"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/session"
	"github.com/workdiary/workdiary/internal/wayland/bustest"
)

// busDesktop is a Wayland session whose compositor's socket this process
// cannot reach (so only the session bus tells anything), with a session
// bus of the test's own.
func busDesktop(t *testing.T) string {
	t.Helper()
	t.Setenv("DISPLAY", "")
	t.Setenv("WAYLAND_DISPLAY", "")
	t.Setenv("XDG_SESSION_TYPE", "wayland")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	return bustest.SessionBus(t)
}

// advanceSlowly moves the tracker's clock on in 5-second steps, giving
// the tracker real time to sample at each.
func advanceSlowly(clk *clocktest.Fake, d time.Duration) {
	for end := clk.Now().Add(d); clk.Now().Before(end); {
		clk.Advance(5 * time.Second)
		time.Sleep(2 * time.Millisecond)
	}
}

// idleAsked answers every idle question "keep" and remembers the spans.
type idleAsked struct {
	mu    sync.Mutex
	spans [][2]time.Time
}

func (a *idleAsked) KeepIdle(_ context.Context, from, to time.Time) (bool, bool) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.spans = append(a.spans, [2]time.Time{from, to})
	return true, true
}

func (a *idleAsked) asked() [][2]time.Time {
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.spans)
}

// TestTrackingOnGNOME: on GNOME (its services built from their interface
// definitions, bustest), typing counts as active minutes from Mutter's
// idle monitor, a long absence brings the idle question when input
// returns, typing the password on the lock screen is not activity, and
// the window in front is GNOME Shell's focused window.
func TestTrackingOnGNOME(t *testing.T) {
	defer node.SetIdleTimeout(300 * time.Millisecond)()
	g := bustest.ServeGNOME(t, busDesktop(t), true, true)
	g.SetWindows(bustest.Window{AppID: "org.gnome.TextEditor.desktop", WMClass: "gnome-text-editor", Title: "notes.txt", Focused: true})
	con, cid := contractorNode(t, "", false)
	clk := con.Clock.(*clocktest.Fake)
	want := ledger.LimitIdleNotified | ledger.LimitNoScreenshots // no screenshot portal on this bus
	st, err := con.TrackingStatus(cid)
	if err != nil || st.Session.Kind != session.Wayland || st.Session.Limits != want {
		t.Fatalf("status %+v, %v; want Wayland with idle notifications and the window in front", st.Session, err)
	}
	start := clk.Now()
	var asked idleAsked
	s, err := con.StartTracking(context.Background(), node.TrackParams{Contract: cid, Memo: "on GNOME"}, nil, nil, &asked)
	if err != nil {
		t.Fatal(err)
	}
	advance := func(d time.Duration) { advanceSlowly(clk, d) }
	time.Sleep(time.Second) // the idle monitor reports nobody there
	advance(time.Minute)
	g.Input()
	time.Sleep(time.Second) // resumed, then idle again
	advance(12 * time.Minute)
	// Back after 12 idle minutes, more than the 10 of the idle setting.
	g.Input()
	time.Sleep(time.Second) // resumed, then idle again
	for deadline := time.Now().Add(10 * time.Second); len(asked.asked()) == 0; {
		if time.Now().After(deadline) {
			t.Fatal("no idle question within 10s of input after a long absence")
		}
		advance(5 * time.Second)
	}
	// Locked at 15:00; the password typed at 16:00 is not work, the
	// unlock at 17:00 is.
	advance(15*time.Minute - clk.Now().Sub(start))
	g.Lock(t, true)
	time.Sleep(300 * time.Millisecond)
	advance(time.Minute)
	g.Input()
	time.Sleep(time.Second)
	advance(time.Minute)
	g.Lock(t, false)
	time.Sleep(time.Second)
	advance(20*time.Minute - clk.Now().Sub(start))
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	if sp := asked.asked()[0]; !sp[0].Equal(start.Add(2*time.Minute)) || !sp[1].Equal(start.Add(13*time.Minute)) {
		t.Errorf("idle question about %v–%v, want minutes 2 to 13", sp[0].Sub(start), sp[1].Sub(start))
	}
	views, err := con.Diary(node.DiaryParams{Contract: cid, From: start.Add(-time.Hour), To: start.Add(time.Hour)})
	if err != nil || len(views) != 2 {
		t.Fatalf("diary: %d segments, %v", len(views), err)
	}
	var active []int
	for i, v := range views {
		for _, m := range v.Minutes {
			if m.Active() {
				active = append(active, i*10+m.Index)
			}
		}
		if v.ActivityMeasure != "active minutes" || !slices.Equal(v.Unverified, want.Reasons()) {
			t.Errorf("segment %d: measure %q, unverified %q; want active minutes and %q", i, v.ActivityMeasure, v.Unverified, want.Reasons())
		}
		if len(v.Apps) != 1 || v.Apps[0].Name != "org.gnome.TextEditor" {
			t.Errorf("segment %d: apps %+v, want the text editor's app ID", i, v.Apps)
		}
	}
	if !slices.Equal(active, []int{1, 13, 17}) {
		t.Errorf("active minutes %v; want 1 and 13 (typed) and 17 (unlocked)", active)
	}
}

// TestTrackingOnKDE: on KDE the window in front comes from KWin (through
// the script Workdiary loads); the idle notifications are ext-idle-notify
// on KWin's own socket, out of this test's reach, so minutes here are
// recorded without activity and say so.
func TestTrackingOnKDE(t *testing.T) {
	k := bustest.ServeKWin(t, busDesktop(t), "6", &bustest.KWinWindow{ID: 1, ResourceClass: "konsole", DesktopFileName: "org.kde.konsole", Caption: "~ : bash"})
	want := ledger.LimitNoInputCounts | ledger.LimitNoScreenshots
	views := trackTenMinutes(t, want)
	if len(views[0].Apps) != 1 || views[0].Apps[0].Name != "org.kde.konsole" {
		t.Errorf("apps %+v, want Konsole's desktop file name", views[0].Apps)
	}
	if k.Scripts() != 0 {
		t.Errorf("%d KWin scripts left loaded after tracking", k.Scripts())
	}
}

// TestTrackingWhereTheDesktopWillNotTell: GNOME Shell refusing its window
// list, and a KWin that will not run the script, leave the app in front
// "unknown", said before tracking and marked on every segment.
func TestTrackingWhereTheDesktopWillNotTell(t *testing.T) {
	t.Run("GNOME Shell refusing", func(t *testing.T) {
		g := bustest.ServeGNOME(t, busDesktop(t), false, true)
		g.SetWindows(bustest.Window{AppID: "org.gnome.TextEditor.desktop", Focused: true})
		g.Refuse(true)
		checkUnknown(t, trackTenMinutes(t, ledger.LimitNoInputCounts|ledger.LimitNoScreenshots|ledger.LimitNoApps))
	})
	t.Run("KWin refusing", func(t *testing.T) {
		k := bustest.ServeKWin(t, busDesktop(t), "6", &bustest.KWinWindow{ID: 1, ResourceClass: "konsole"})
		k.Refuse(true)
		// The bus shows KWin, so the status expects the app; the session
		// records what KWin then did: nothing.
		views := trackTenMinutes(t, 0)
		checkUnknown(t, views)
		if !slices.Contains(views[0].Unverified, ledger.LimitNoApps.Reasons()[0]) {
			t.Errorf("unverified %q; want the app in front unavailable", views[0].Unverified)
		}
	})
}

func checkUnknown(t *testing.T, views []diary.View) {
	t.Helper()
	if len(views[0].Apps) != 1 || views[0].Apps[0].Name != "unknown" {
		t.Errorf("apps %+v; want \"unknown\"", views[0].Apps)
	}
}

// trackTenMinutes tracks one segment and returns the diary; want, unless
// 0, is what the status must say the session lacks, and every segment.
func trackTenMinutes(t *testing.T, want ledger.Limits) []diary.View {
	t.Helper()
	con, cid := contractorNode(t, "", false)
	clk := con.Clock.(*clocktest.Fake)
	if want != 0 {
		if st, err := con.TrackingStatus(cid); err != nil || st.Session.Limits != want {
			t.Fatalf("status %+v, %v; want limits %q", st.Session, err, want.Reasons())
		}
	}
	start := clk.Now()
	s, err := con.StartTracking(context.Background(), node.TrackParams{Contract: cid, Memo: "on the bus", KeepIdle: true}, nil, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	advanceSlowly(clk, 10*time.Minute)
	if err := s.Stop(); err != nil {
		t.Fatal(err)
	}
	views, err := con.Diary(node.DiaryParams{Contract: cid, From: start.Add(-time.Hour), To: start.Add(time.Hour)})
	if err != nil || len(views) != 1 {
		t.Fatalf("diary: %d segments, %v", len(views), err)
	}
	if want != 0 && !slices.Equal(views[0].Unverified, want.Reasons()) {
		t.Errorf("unverified %q; want %q", views[0].Unverified, want.Reasons())
	}
	return views
}
