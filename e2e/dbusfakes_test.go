//go:build e2e

package e2e

import (
	"sync"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"

	"github.com/workdiary/workdiary/internal/notify/notifytest"
)

// trayWatcher is the desktop's StatusNotifierWatcher: tray items register
// with it.
type trayWatcher struct {
	conn  *dbus.Conn
	mu    sync.Mutex
	items []string // bus names of the items registered
}

func serveTrayWatcher(t *testing.T, addr string) *trayWatcher {
	t.Helper()
	w := &trayWatcher{conn: notifytest.Conn(t, addr)}
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
