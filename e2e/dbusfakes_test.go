//go:build e2e

package e2e

import (
	"bufio"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// sessionBus starts a session D-Bus of the test's own (what
// dbus-run-session does) and returns its address.
func sessionBus(t *testing.T) string {
	t.Helper()
	cmd := exec.Command("dbus-daemon", "--session", "--nofork", "--nopidfile", "--print-address=1")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(line)
}

func busConn(t *testing.T, addr string) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connect to the test's session bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// note is one notification the fake server received.
type note struct {
	ID      uint32
	Summary string
	Body    string
	Actions []string // key, label, key, label …
}

// noteServer is a notification server (org.freedesktop.Notifications) that
// records what it is asked to show and answers as a person would, from the
// test.
type noteServer struct {
	conn  *dbus.Conn
	mu    sync.Mutex
	notes []note
}

func serveNotifications(t *testing.T, addr string) *noteServer {
	t.Helper()
	s := &noteServer{conn: busConn(t, addr)}
	if err := s.conn.Export(s, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if r, err := s.conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own org.freedesktop.Notifications: %v %v", r, err)
	}
	return s
}

func (s *noteServer) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, expire int32) (uint32, *dbus.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := uint32(len(s.notes) + 1)
	s.notes = append(s.notes, note{ID: id, Summary: summary, Body: body, Actions: actions})
	return id, nil
}

func (s *noteServer) CloseNotification(id uint32) *dbus.Error { return nil }

func (s *noteServer) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"actions", "body"}, nil
}

func (s *noteServer) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "e2e", "workdiary", "1", "1.2", nil
}

// waitNote waits for a note whose summary contains text.
func (s *noteServer) waitNote(t *testing.T, text string, d time.Duration) note {
	t.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		s.mu.Lock()
		for _, n := range s.notes {
			if strings.Contains(n.Summary, text) {
				s.mu.Unlock()
				return n
			}
		}
		s.mu.Unlock()
	}
	t.Fatalf("no notification %q within %v; got %+v", text, d, s.all())
	return note{}
}

func (s *noteServer) all() []note {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]note(nil), s.notes...)
}

// choose answers note id with the action key, as a click on its button:
// ActionInvoked, then NotificationClosed (reason 2, dismissed by the user).
func (s *noteServer) choose(t *testing.T, id uint32, key string) {
	t.Helper()
	if err := s.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", id, key); err != nil {
		t.Fatal(err)
	}
	if err := s.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.NotificationClosed", id, uint32(2)); err != nil {
		t.Fatal(err)
	}
}

// trayWatcher is the desktop's StatusNotifierWatcher: tray items register
// with it.
type trayWatcher struct {
	conn  *dbus.Conn
	mu    sync.Mutex
	items []string // bus names of the items registered
}

func serveTrayWatcher(t *testing.T, addr string) *trayWatcher {
	t.Helper()
	w := &trayWatcher{conn: busConn(t, addr)}
	if err := w.conn.Export(w, "/StatusNotifierWatcher", "org.kde.StatusNotifierWatcher"); err != nil {
		t.Fatal(err)
	}
	if r, err := w.conn.RequestName("org.kde.StatusNotifierWatcher", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own org.kde.StatusNotifierWatcher: %v %v", r, err)
	}
	return w
}

func (w *trayWatcher) RegisterStatusNotifierItem(sender dbus.Sender, service string) *dbus.Error {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.items = append(w.items, string(sender))
	return nil
}

// waitItem waits for an item registered by a bus name still connected.
func (w *trayWatcher) waitItem(t *testing.T, d time.Duration) string {
	t.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		w.mu.Lock()
		items := append([]string(nil), w.items...)
		w.mu.Unlock()
		for i := len(items) - 1; i >= 0; i-- {
			var has bool
			if err := w.conn.BusObject().Call("org.freedesktop.DBus.NameHasOwner", 0, items[i]).Store(&has); err == nil && has {
				return items[i]
			}
		}
	}
	t.Fatalf("no tray item registered within %v", d)
	return ""
}

// trayItem is a menu entry of a tray item, read over com.canonical.dbusmenu.
type trayItem struct {
	ID      int32
	Label   string
	Visible bool
	Enabled bool
}

// trayMenu reads the item's menu.
func (w *trayWatcher) trayMenu(t *testing.T, item string) []trayItem {
	t.Helper()
	var rev uint32
	var layout struct {
		ID       int32
		Props    map[string]dbus.Variant
		Children []dbus.Variant
	}
	err := w.conn.Object(item, "/StatusNotifierItem/menu").Call("com.canonical.dbusmenu.GetLayout", 0,
		int32(0), int32(-1), []string{}).Store(&rev, &layout)
	if err != nil {
		t.Fatalf("read the tray menu: %v", err)
	}
	var out []trayItem
	for _, c := range layout.Children {
		f, ok := c.Value().([]any)
		if !ok || len(f) < 2 {
			continue
		}
		id, _ := f[0].(int32)
		props, _ := f[1].(map[string]dbus.Variant)
		it := trayItem{ID: id, Visible: true, Enabled: true}
		if v, ok := props["label"]; ok {
			it.Label, _ = v.Value().(string)
		}
		if v, ok := props["visible"]; ok {
			it.Visible, _ = v.Value().(bool)
		}
		if v, ok := props["enabled"]; ok {
			it.Enabled, _ = v.Value().(bool)
		}
		out = append(out, it)
	}
	return out
}

// trayTooltip is the title of the item's tooltip.
func (w *trayWatcher) trayTooltip(t *testing.T, item string) string {
	t.Helper()
	v, err := w.conn.Object(item, "/StatusNotifierItem").GetProperty("org.kde.StatusNotifierItem.ToolTip")
	if err != nil {
		t.Fatalf("read the tray tooltip: %v", err)
	}
	f, ok := v.Value().([]any)
	if !ok || len(f) < 3 {
		t.Fatalf("tray tooltip %v: not (sa(iiay)ss)", v)
	}
	title, _ := f[2].(string)
	return title
}

// click chooses the menu entry labelled label.
func (w *trayWatcher) click(t *testing.T, item, label string) {
	t.Helper()
	for _, it := range w.trayMenu(t, item) {
		if it.Label == label {
			err := w.conn.Object(item, "/StatusNotifierItem/menu").Call("com.canonical.dbusmenu.Event", 0,
				it.ID, "clicked", dbus.MakeVariant(""), uint32(0)).Err
			if err != nil {
				t.Fatalf("click %q: %v", label, err)
			}
			return
		}
	}
	t.Fatalf("no tray menu entry %q in %+v", label, w.trayMenu(t, item))
}
