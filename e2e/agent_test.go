//go:build e2e

package e2e

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xproto"

	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/notify/notifytest"
)

const (
	roleApp   = "the Workdiary desktop app"
	roleAgent = "the Workdiary agent"
)

// The built app under Xvfb with a session bus of the test's own: closing
// the window leaves the resident agent recording (the diary keeps growing,
// asserted with the CLI) with its tray icon and no WebKit left; the
// screenshot notice and the idle question arrive as notifications with
// their actions, and the idle answer given over D-Bus is honoured; a
// second launch focuses the first window; the tray's Open brings the
// window back with the session, and its Quit ends everything; the
// autostart entry is written once a contract is accepted and removed when
// switched off.
func TestResidentAgent(t *testing.T) {
	display := requireDisplay(t)
	bus := notifytest.SessionBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	notes := notifytest.Serve(t, bus)
	tray := serveTrayWatcher(t, bus)

	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Resident", rate: "30.00", currency: "EUR", screenshots: 2})
	setIdleMinutes(t, con, 3)
	t.Cleanup(func() {
		killOwner(t, con)
		if t.Failed() {
			b, _ := os.ReadFile(filepath.Join(con, "agent.log"))
			t.Logf("agent.log:\n%s", b)
		}
	})
	// Input all along, so that idle time comes only when the test pauses it.
	typing := startTyping(t, display)

	// At 60× a wall second is a minute of diary, in the app and in the
	// agent it hands over to (the clock goes on across the handover).
	env := []string{"DISPLAY=" + display, "WORKDIARY_CLOCK_SPEED=60", "WORKDIARY_CLOCK_BACK=2h"}
	app := startProc(t, env, binary(t, "workdiary-app"), "--home", con)
	win := waitForWindow(t, "^Workdiary$", 60*time.Second)

	entry := filepath.Join(cfg, "autostart", "workdiary.desktop")
	waitFile(t, entry, true, 15*time.Second)
	if b, _ := os.ReadFile(entry); !strings.Contains(string(b), "--home "+con+" agent") {
		t.Fatalf("autostart entry:\n%s\nwant it to run the agent on %s", b, con)
	}

	// A second launch on the folder focuses the first window and exits.
	run(t, "xdotool", "windowminimize", "--sync", win)
	second := exec.Command(binary(t, "workdiary-app"), "--home", con)
	second.Env = append(os.Environ(), env...)
	if out, err := second.CombinedOutput(); err != nil {
		t.Fatalf("second launch: %v\n%s", err, out)
	}
	waitWindowShown(t, win, 10*time.Second)
	if app.exited() {
		t.Fatalf("the first app exited on the second launch:\n%s", app.out.String())
	}

	cli(t, con, "track", "--contract", id[:10], "--memo", "resident", "--detach")
	if st := readTrackStatus(t, con); !st.Running || st.Owner != roleApp {
		t.Fatalf("track status with the app open = %+v; want running in the app", st)
	}
	// The window shows the tray icon too, and it follows a session the
	// command line started.
	appItem := tray.waitItem(t, 20*time.Second)
	waitUntil(t, "the window's tray showing the session", 10*time.Second, func() bool {
		return menuVisible(t, tray, appItem, "Stop tracking")
	})
	time.Sleep(3 * time.Second)

	// Closing the window hands the folder and the session to the agent.
	closeWindow(t, display, win)
	if !app.endsWithin(20 * time.Second) {
		t.Fatalf("the app did not end when its window closed:\n%s", app.hungOutput())
	}
	st := waitOwner(t, con, roleAgent, 20*time.Second)
	if !st.Running || st.Contract != id || st.Memo != "resident" {
		t.Fatalf("after the window closed, track status = %+v; want the session carried on by the agent", st)
	}
	if procs := webkitProcs(bus); len(procs) > 0 {
		time.Sleep(3 * time.Second) // WebKit's helpers end a moment after their parent
		if procs = webkitProcs(bus); len(procs) > 0 {
			t.Fatalf("WebKit processes remain with the window closed: %v", procs)
		}
	}
	before := trackedMinutes(t, con, "resident")
	time.Sleep(6 * time.Second)
	if after := trackedMinutes(t, con, "resident"); after <= before {
		t.Fatalf("diary with the window closed: %d minutes, then %d 6 s later; want it growing", before, after)
	}

	item := tray.waitItem(t, 20*time.Second)
	menu := tray.trayMenu(t, item)
	want := map[string]bool{"Stop tracking": true, "Open Workdiary": true, "Quit Workdiary": true, "Start tracking Resident": false}
	for _, it := range menu {
		if v, ok := want[it.Label]; ok {
			if it.Visible != v {
				t.Errorf("tray entry %q visible = %v, want %v", it.Label, it.Visible, v)
			}
			delete(want, it.Label)
		}
	}
	if len(want) > 0 {
		t.Errorf("tray menu %+v lacks %v", menu, want)
	}
	if tip := tray.trayTooltip(t, item); !strings.Contains(tip, "Tracking Resident") {
		t.Errorf("tray tooltip %q; want it to say what is tracked", tip)
	}

	shot := notes.Wait(t, "Screenshot taken", 40*time.Second)
	if !shot.HasAction("open") || !strings.Contains(shot.Body, "Resident") {
		t.Errorf("screenshot notice %+v; want the contract named and an action to open the segment", shot)
	}

	// Idle: no input for 6 minutes of diary, then input again; the
	// question comes as a notification, answered Keep over D-Bus.
	typing.pause(6 * time.Second)
	idle := notes.Wait(t, "idle", 30*time.Second)
	if !idle.HasAction("keep") || !idle.HasAction("discard") {
		t.Fatalf("idle question %+v; want Keep and Discard actions", idle)
	}
	if pending(t, con) == 0 {
		t.Fatalf("an idle question is open but no minute waits for it")
	}
	minutes := trackedMinutes(t, con, "resident")
	notes.Choose(t, idle.ID, "keep")
	waitUntil(t, "the idle minutes kept", 15*time.Second, func() bool { return pending(t, con) == 0 })
	if got := trackedMinutes(t, con, "resident"); got < minutes {
		t.Fatalf("after Keep, %d minutes; before the answer %d: kept idle time was dropped", got, minutes)
	}

	// Autostart off and on again, asked of the running agent.
	cli(t, con, "autostart", "off")
	waitFile(t, entry, false, 5*time.Second)
	cli(t, con, "autostart", "on")
	waitFile(t, entry, true, 5*time.Second)

	// Open from the tray: the window takes the folder and the session back.
	tray.click(t, item, "Open Workdiary")
	st = waitOwner(t, con, roleApp, 30*time.Second)
	if !st.Running || st.Memo != "resident" {
		t.Fatalf("after Open, track status = %+v; want the session running in the window", st)
	}
	win = waitForWindow(t, "^Workdiary$", 30*time.Second)
	closeWindow(t, display, win)
	waitOwner(t, con, roleAgent, 30*time.Second)

	// Quit from the tray stops tracking and leaves nothing running.
	item = tray.waitItem(t, 20*time.Second)
	tray.click(t, item, "Quit Workdiary")
	waitUntil(t, "the agent gone", 20*time.Second, func() bool { return ownerPID(con) == 0 })
	if st := readTrackStatus(t, con); st.Running {
		t.Fatalf("after Quit, track status = %+v; want nothing running", st)
	}
}

// typer presses a key in an xterm every 300 ms, so that the tracker sees
// input, until paused or the test ends.
type typer struct{ pauseUntil chan time.Time }

func startTyping(t *testing.T, display string) *typer {
	t.Helper()
	win := startXterm(t, display, "wd-e2e-agent", "-e", "sleep", "600")
	ty := &typer{pauseUntil: make(chan time.Time, 1)}
	stop := make(chan struct{})
	t.Cleanup(func() { close(stop) })
	go func() {
		for {
			select {
			case <-stop:
				return
			case until := <-ty.pauseUntil:
				time.Sleep(time.Until(until))
			case <-time.After(300 * time.Millisecond):
				cmd := exec.Command("xdotool", "key", "--window", win, "a")
				cmd.Env = append(os.Environ(), "DISPLAY="+display)
				_ = cmd.Run()
			}
		}
	}()
	return ty
}

func (ty *typer) pause(d time.Duration) {
	ty.pauseUntil <- time.Now().Add(d)
	time.Sleep(d)
}

// menuVisible reports whether the tray item's entry label is shown.
func menuVisible(t *testing.T, w *trayWatcher, item, label string) bool {
	for _, it := range w.trayMenu(t, item) {
		if it.Label == label {
			return it.Visible
		}
	}
	return false
}

func pending(t *testing.T, home string) int {
	n := 0
	for _, s := range mustReadDiary(t, home) {
		n += len(s.IdlePending)
	}
	return n
}

func waitUntil(t *testing.T, what string, d time.Duration, ok func() bool) {
	t.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(250 * time.Millisecond) {
		if ok() {
			return
		}
	}
	t.Fatalf("%s: not within %v", what, d)
}

func waitFile(t *testing.T, path string, exists bool, d time.Duration) {
	t.Helper()
	waitUntil(t, path+" exists="+strconv.FormatBool(exists), d, func() bool {
		_, err := os.Stat(path)
		return (err == nil) == exists
	})
}

// waitOwner waits until role owns home and returns its track status.
func waitOwner(t *testing.T, home, role string, d time.Duration) trackStatus {
	t.Helper()
	var st trackStatus
	waitUntil(t, role+" owning "+home, d, func() bool {
		out, err := tryCLI(t, home, "track", "status", "--json")
		if err != nil || json.Unmarshal([]byte(out), &st) != nil {
			return false
		}
		return st.Owner == role
	})
	return st
}

// waitWindowShown waits until the window is mapped and not minimised.
func waitWindowShown(t *testing.T, win string, d time.Duration) {
	t.Helper()
	waitUntil(t, "window "+win+" shown", d, func() bool {
		out, err := exec.Command("xprop", "-id", win, "_NET_WM_STATE", "WM_STATE").Output()
		return err == nil && !strings.Contains(string(out), "_NET_WM_STATE_HIDDEN") && strings.Contains(string(out), "Normal")
	})
}

// webkitProcs lists the WebKit processes started under the test's bus.
func webkitProcs(bus string) []string {
	var out []string
	dirs, _ := os.ReadDir("/proc")
	for _, d := range dirs {
		if _, err := strconv.Atoi(d.Name()); err != nil {
			continue
		}
		comm, _ := os.ReadFile(filepath.Join("/proc", d.Name(), "comm"))
		if !strings.Contains(string(comm), "WebKit") {
			continue
		}
		env, _ := os.ReadFile(filepath.Join("/proc", d.Name(), "environ"))
		if strings.Contains(string(env), "DBUS_SESSION_BUS_ADDRESS="+bus+"\x00") {
			out = append(out, d.Name()+" "+strings.TrimSpace(string(comm)))
		}
	}
	return out
}

// ownerPID is the live process that owner.lock names, or 0.
func ownerPID(home string) int {
	b, err := os.ReadFile(filepath.Join(home, "owner.lock"))
	if err != nil {
		return 0
	}
	var h struct {
		PID int `json:"pid"`
	}
	if json.Unmarshal(b, &h) != nil || h.PID == 0 {
		return 0
	}
	if syscall.Kill(h.PID, 0) != nil {
		return 0
	}
	// The lock file keeps its last holder's record; only a holder of the
	// lock counts.
	f, err := os.OpenFile(filepath.Join(home, "owner.lock"), os.O_RDWR, 0)
	if err != nil {
		return 0
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) == nil {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		return 0
	}
	return h.PID
}

// killOwner ends whatever process the test left owning home (an agent or
// an app the tray opened), so that nothing outlives the test.
func killOwner(t *testing.T, home string) {
	for i := 0; i < 5; i++ {
		pid := ownerPID(home)
		if pid == 0 {
			return
		}
		_ = syscall.Kill(pid, syscall.SIGKILL)
		time.Sleep(500 * time.Millisecond)
	}
	t.Errorf("a process still owns %s", home)
}

// closeWindow asks the window manager to close win, as its close button
// does (_NET_CLOSE_WINDOW, which wmctrl -c sends): the app gets the delete
// event a person's click gives it.
func closeWindow(t *testing.T, display, win string) {
	t.Helper()
	id, err := strconv.ParseUint(win, 10, 32)
	if err != nil {
		t.Fatalf("window id %q: %v", win, err)
	}
	x, err := xgb.NewConnDisplay(display)
	if err != nil {
		t.Fatalf("connect to %s: %v", display, err)
	}
	defer x.Close()
	atom, err := xproto.InternAtom(x, false, uint16(len("_NET_CLOSE_WINDOW")), "_NET_CLOSE_WINDOW").Reply()
	if err != nil {
		t.Fatal(err)
	}
	root := xproto.Setup(x).DefaultScreen(x).Root
	ev := xproto.ClientMessageEvent{Format: 32, Window: xproto.Window(id), Type: atom.Atom,
		Data: xproto.ClientMessageDataUnionData32New([]uint32{0, 2, 0, 0, 0})} // time 0, source: a pager
	err = xproto.SendEventChecked(x, false, root, xproto.EventMaskSubstructureRedirect|xproto.EventMaskSubstructureNotify,
		string(ev.Bytes())).Check()
	if err != nil {
		t.Fatalf("close window %s: %v", win, err)
	}
}

// An employer whose agent runs is told, as a desktop notification, when a
// contractor accepts an offer; switched off, the notice does not come.
func TestAgentTellsAcceptance(t *testing.T) {
	bus := notifytest.SessionBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	notes := notifytest.Serve(t, bus)
	emp, con := employerAndContractor(t)
	t.Cleanup(func() { killOwner(t, emp) })
	agent := startWorkdiary(t, nil, emp, "agent", "--no-tray")
	waitOwner(t, emp, roleAgent, 20*time.Second)

	offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Told", rate: "30.00", currency: "EUR", online: true})
	n := notes.Wait(t, "Contract accepted", 20*time.Second)
	if !strings.Contains(n.Body, "Contractor") || !strings.Contains(n.Body, "Told") {
		t.Errorf("acceptance notice %+v; want who accepted what", n)
	}

	cli(t, emp, "autostart", "off") // an agent setting through the agent, as Settings does
	setAcceptanceNotice(t, emp, false)
	before := len(notes.All())
	offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Untold", rate: "30.00", currency: "EUR", online: true})
	time.Sleep(3 * time.Second)
	for _, n := range notes.All()[before:] {
		if strings.Contains(n.Summary, "accepted") {
			t.Fatalf("acceptance notice %+v with the kind switched off", n)
		}
	}
	agent.stop(t, 15*time.Second)
}

// setAcceptanceNotice switches the acceptance notice through the owner's
// agent.settings.set op, as the Settings screen does.
func setAcceptanceNotice(t *testing.T, home string, on bool) {
	t.Helper()
	_, err := node.OpAgentSettingsSet.Ask(context.Background(), home, node.AgentSettings{Notifications: map[string]bool{"acceptance": on}})
	if err != nil {
		t.Fatal(err)
	}
}
