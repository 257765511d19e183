//go:build linux

package wayland_test

import (
	"errors"
	"regexp"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/workdiary/workdiary/internal/notify/notifytest"
	"github.com/workdiary/workdiary/internal/wayland"
	"github.com/workdiary/workdiary/internal/wayland/bustest"
)

// expectState waits for the next idle report.
func expectState(t *testing.T, states <-chan bool, want bool, what string) {
	t.Helper()
	select {
	case got := <-states:
		if got != want {
			t.Fatalf("%s: reported %v, want %v", what, got, want)
		}
	case <-time.After(5 * time.Second):
		t.Fatalf("%s: no report within 5s", what)
	}
}

func expectNone(t *testing.T, states <-chan bool, what string) {
	t.Helper()
	select {
	case got := <-states:
		t.Fatalf("%s: %v reported", what, got)
	case <-time.After(500 * time.Millisecond):
	}
}

// TestGNOMEIdleMonitor: GNOME's idle monitor reports the person away after
// the timeout and back at the next input; its signals sent by other
// programs are not heard; a monitor that goes away leaves the person
// idle.
func TestGNOMEIdleMonitor(t *testing.T) {
	addr := bustest.SessionBus(t)
	g := bustest.ServeGNOME(t, addr, true, false)
	if idle, windows := wayland.BusOffers(); !idle || windows {
		t.Fatalf("offers idle %v, windows %v; want the idle monitor alone", idle, windows)
	}
	states := make(chan bool, 16)
	b, err := wayland.WatchBusIdle(2*time.Second, func(idle bool) { states <- idle })
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	expectState(t, states, true, "nobody typing")
	g.Input()
	expectState(t, states, false, "typing")
	expectState(t, states, true, "stopped typing")
	g.Input()
	expectState(t, states, false, "typing again")
	liar := notifytest.Conn(t, addr)
	for id := uint32(1); id < 8; id++ {
		liar.Emit("/org/gnome/Mutter/IdleMonitor/Core", "org.gnome.Mutter.IdleMonitor.WatchFired", id)
	}
	expectNone(t, states, "false signals")
	g.Quit(t)
	expectState(t, states, true, "the idle monitor went away")
}

// TestLockScreen: GNOME's and KDE's lock screens are reported showing and
// going, and showing at once when locked before; the signal sent by
// another program is not heard.
func TestLockScreen(t *testing.T) {
	for _, desk := range []string{"GNOME", "KDE"} {
		t.Run(desk, func(t *testing.T) {
			addr := bustest.SessionBus(t)
			var lock func(bool)
			path, iface := "/org/gnome/ScreenSaver", "org.gnome.ScreenSaver"
			if desk == "GNOME" {
				g := bustest.ServeGNOME(t, addr, true, false)
				lock = func(locked bool) { g.Lock(t, locked) }
			} else {
				l := bustest.ServeKDELock(t, addr)
				lock = func(locked bool) { l.Set(t, locked) }
				path, iface = "/org/freedesktop/ScreenSaver", "org.freedesktop.ScreenSaver"
			}
			states := make(chan bool, 16)
			w, err := wayland.WatchLock(func(locked bool) { states <- locked })
			if err != nil {
				t.Fatal(err)
			}
			lock(true)
			expectState(t, states, true, "locked")
			notifytest.Conn(t, addr).Emit(dbus.ObjectPath(path), iface+".ActiveChanged", false)
			expectNone(t, states, "a false unlock")
			w.Close()
			w, err = wayland.WatchLock(func(locked bool) { states <- locked })
			if err != nil {
				t.Fatal(err)
			}
			defer w.Close()
			expectState(t, states, true, "locked before the start")
			lock(false)
			expectState(t, states, false, "unlocked")
		})
	}
}

// TestGNOMEIdleMonitorAlreadyIdle: a person already away longer than the
// timeout when tracking starts is idle at once (an idle watch fires only
// when the idle time reaches its interval).
func TestGNOMEIdleMonitorAlreadyIdle(t *testing.T) {
	g := bustest.ServeGNOME(t, bustest.SessionBus(t), true, false)
	time.Sleep(600 * time.Millisecond)
	states := make(chan bool, 16)
	b, err := wayland.WatchBusIdle(500*time.Millisecond, func(idle bool) { states <- idle })
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	expectState(t, states, true, "away before the start")
	g.Input()
	expectState(t, states, false, "back")
}

// TestBusServicesAbsent: without the services, or without a session bus,
// each says it is not offered.
func TestBusServicesAbsent(t *testing.T) {
	bustest.SessionBus(t)
	if _, err := wayland.WatchBusIdle(time.Second, func(bool) {}); !errors.Is(err, wayland.ErrNotOffered) {
		t.Errorf("idle monitor on a bus without one: %v", err)
	}
	if _, err := wayland.ConnectShellWindows(); !errors.Is(err, wayland.ErrNotOffered) {
		t.Errorf("GNOME Shell windows on a bus without GNOME Shell: %v", err)
	}
	if _, err := wayland.WatchKWin(); !errors.Is(err, wayland.ErrNotOffered) {
		t.Errorf("KWin on a bus without KWin: %v", err)
	}
	if _, err := wayland.WatchLock(func(bool) {}); !errors.Is(err, wayland.ErrNotOffered) {
		t.Errorf("lock screen on a bus without one: %v", err)
	}
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", "")
	t.Setenv("XDG_RUNTIME_DIR", t.TempDir())
	if _, err := wayland.WatchBusIdle(time.Second, func(bool) {}); !errors.Is(err, wayland.ErrNotOffered) {
		t.Errorf("idle monitor without a session bus: %v", err)
	}
	if idle, windows := wayland.BusOffers(); idle || windows {
		t.Error("a service is offered without a session bus")
	}
}

// TestGNOMEShellWindows: GNOME Shell's window list names the focused
// window by its app ID (without ".desktop") and class; a window matched to
// no app is no app ID; where GNOME Shell refuses, the window in front is
// unknown and the list is not offered.
func TestGNOMEShellWindows(t *testing.T) {
	g := bustest.ServeGNOME(t, bustest.SessionBus(t), false, true)
	g.SetWindows(bustest.Window{AppID: "org.gnome.Terminal.desktop", WMClass: "Gnome-terminal", Title: "~"},
		bustest.Window{AppID: "org.gnome.TextEditor.desktop", WMClass: "gnome-text-editor", Title: "notes.txt", Focused: true})
	if idle, windows := wayland.BusOffers(); idle || !windows {
		t.Errorf("offers idle %v, windows %v; want the window list alone", idle, windows)
	}
	w, err := wayland.ConnectShellWindows()
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	front, ok := w.Active()
	if want := (wayland.Toplevel{AppID: "org.gnome.TextEditor", Title: "notes.txt", Class: "gnome-text-editor"}); !ok || front != want {
		t.Errorf("in front %+v %v, want %+v", front, ok, want)
	}
	if all := w.All(); len(all) != 2 {
		t.Errorf("all windows %+v", all)
	}
	g.SetWindows(bustest.Window{AppID: "window:7", WMClass: "xeyes", Title: "xeyes", Focused: true})
	if front, _ := w.Active(); front.AppID != "" || front.Class != "xeyes" {
		t.Errorf("a window of no app: %+v", front)
	}
	g.SetWindows(bustest.Window{AppID: "org.gnome.Nautilus.desktop"})
	if front, ok := w.Active(); ok {
		t.Errorf("nothing focused, yet %+v in front", front)
	}
	g.Refuse(true)
	if front, ok := w.Active(); ok || w.All() != nil {
		t.Errorf("refusing GNOME Shell: %+v in front, list %v", front, w.All())
	}
	if _, err := wayland.ConnectShellWindows(); !errors.Is(err, wayland.ErrRefused) {
		t.Errorf("connect to a refusing GNOME Shell: %v", err)
	}
	if _, windows := wayland.BusOffers(); windows {
		t.Error("a refusing GNOME Shell's list is offered")
	}
}

// TestKWinWindow: the script loaded into KWin (run in node against KWin 6's
// and KWin 5's scripting API) reports the window in front, its caption
// changes and the desktop taking the focus; calls from anyone but KWin
// are refused; a KWin that goes away makes it unknown, and a KWin that
// starts again gets the script again; Close unloads the script. A KWin
// that will not load it is refused.
func TestKWinWindow(t *testing.T) {
	for _, version := range []string{"6", "5"} {
		t.Run("KWin "+version, func(t *testing.T) { kwinWindow(t, version) })
	}
}

func kwinWindow(t *testing.T, version string) {
	addr := bustest.SessionBus(t)
	k := bustest.ServeKWin(t, addr, version, &bustest.KWinWindow{ID: 1, ResourceClass: "konsole", DesktopFileName: "org.kde.konsole", Caption: "~ : bash"})
	if _, windows := wayland.BusOffers(); !windows {
		t.Error("KWin's window in front is not offered")
	}
	w, err := wayland.WatchKWin()
	if err != nil {
		t.Fatal(err)
	}
	front, ok := w.Active()
	if want := (wayland.Toplevel{AppID: "org.kde.konsole", Title: "~ : bash", Class: "konsole"}); !ok || front != want {
		t.Errorf("in front %+v %v, want %+v", front, ok, want)
	}
	waitFront := func(what string, want wayland.Toplevel, wantOK bool) {
		t.Helper()
		for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(20 * time.Millisecond) {
			if got, ok := w.Active(); got == want && ok == wantOK {
				return
			} else if time.Now().After(deadline) {
				t.Fatalf("%s: in front %+v %v, want %+v %v", what, got, ok, want, wantOK)
			}
		}
	}
	k.Activate(&bustest.KWinWindow{ID: 2, ResourceClass: "firefox", Caption: "News"})
	waitFront("firefox activated", wayland.Toplevel{AppID: "firefox", Title: "News", Class: "firefox"}, true)
	k.Retitle(2, "Mail")
	waitFront("caption changed", wayland.Toplevel{AppID: "firefox", Title: "Mail", Class: "firefox"}, true)

	// Another program on the bus pretending to be the script.
	me := regexp.MustCompile(`service = "([^"]+)"`).FindStringSubmatch(k.Loaded[0])
	if me == nil {
		t.Fatalf("the script names no service: %s", k.Loaded[0])
	}
	liar := notifytest.Conn(t, addr)
	call := liar.Object(me[1], "/org/workdiary/FrontWindow").Call("org.workdiary.FrontWindow.Front", 0, "kpat", "org.kde.kpat", "Solitaire")
	if call.Err == nil {
		t.Error("a call from another program was taken")
	}
	waitFront("after the false report", wayland.Toplevel{AppID: "firefox", Title: "Mail", Class: "firefox"}, true)

	k.Activate(nil)
	waitFront("the desktop in front", wayland.Toplevel{}, false)
	k.Activate(&bustest.KWinWindow{ID: 3, ResourceClass: "dolphin", DesktopFileName: "org.kde.dolphin", Caption: "Home"})
	waitFront("dolphin activated", wayland.Toplevel{AppID: "org.kde.dolphin", Title: "Home", Class: "dolphin"}, true)
	w.Close()
	if n := k.Scripts(); n != 0 {
		t.Errorf("%d scripts still loaded after Close", n)
	}
	if w, err = wayland.WatchKWin(); err != nil {
		t.Fatal(err)
	}
	waitFront("dolphin, to a new script", wayland.Toplevel{AppID: "org.kde.dolphin", Title: "Home", Class: "dolphin"}, true)
	k.Quit()
	waitFront("KWin gone", wayland.Toplevel{AppID: "org.kde.dolphin", Title: "Home", Class: "dolphin"}, false)
	restarted := bustest.ServeKWin(t, addr, version, &bustest.KWinWindow{ID: 4, ResourceClass: "kate", DesktopFileName: "org.kde.kate", Caption: "todo"})
	waitFront("KWin restarted", wayland.Toplevel{AppID: "org.kde.kate", Title: "todo", Class: "kate"}, true)
	w.Close()
	if n := restarted.Scripts(); n != 0 {
		t.Errorf("%d scripts still loaded in the restarted KWin after Close", n)
	}
}

func TestKWinRefusing(t *testing.T) {
	k := bustest.ServeKWin(t, bustest.SessionBus(t), "6", nil)
	k.Refuse(true)
	if _, err := wayland.WatchKWin(); !errors.Is(err, wayland.ErrRefused) {
		t.Fatalf("KWin refusing the script: %v", err)
	}
}
