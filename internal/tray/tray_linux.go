//go:build linux

package tray

import (
	"errors"
	"fmt"
	"sync"

	"fyne.io/systray"
	"github.com/godbus/dbus/v5"
)

// Tray is the running icon. There is one per process: the StatusNotifierItem
// is exported at a fixed path of the session bus connection.
type Tray struct {
	mu                              sync.Mutex
	state                           State
	head, start, stop, open, quitIt *systray.MenuItem
	ready                           chan struct{}
	end                             func()
	closed                          bool // guarded by mu: Set does nothing once Close began
}

var started sync.Once

// Start shows the icon with its menu and registers it with the desktop's
// StatusNotifierWatcher (again whenever a watcher appears). It returns at
// once; the menu's items call acts.
func Start(st State, acts Actions) (*Tray, error) {
	// Only a running session bus: the systray package would otherwise
	// launch one (dbus-launch) that outlives this process.
	probe, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrUnsupported, err)
	}
	probe.Close()
	t := &Tray{state: st, ready: make(chan struct{})}
	ok := false
	started.Do(func() {
		ok = true
		run, end := systray.RunWithExternalLoop(func() { t.build(acts) }, nil)
		t.end = end
		run()
	})
	if !ok {
		return nil, errors.New("the tray icon is already shown by this process")
	}
	<-t.ready
	return t, nil
}

func (t *Tray) build(acts Actions) {
	systray.SetTitle("Workdiary")
	t.head = systray.AddMenuItem("", "")
	t.head.Disable()
	systray.AddSeparator()
	t.start = systray.AddMenuItem("Start tracking", "Start tracking the last contract")
	t.stop = systray.AddMenuItem("Stop tracking", "Stop tracking")
	systray.AddSeparator()
	t.open = systray.AddMenuItem("Open Workdiary", "Open the window")
	t.quitIt = systray.AddMenuItem("Quit Workdiary", "Stop tracking and syncing, and quit")
	for item, f := range map[*systray.MenuItem]func(){t.start: acts.Start, t.stop: acts.Stop, t.open: acts.Open, t.quitIt: acts.Quit} {
		go func() {
			for range item.ClickedCh {
				if f != nil {
					go f()
				}
			}
		}()
	}
	systray.SetOnTapped(func() {
		if acts.Open != nil {
			go acts.Open()
		}
	})
	t.show(t.state)
	close(t.ready)
}

// Set shows a new state.
func (t *Tray) Set(st State) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if st == t.state || t.closed {
		return
	}
	t.state = st
	t.show(st)
}

func (t *Tray) show(st State) {
	systray.SetIcon(st.icon())
	title := st.Title()
	systray.SetTooltip(title)
	t.head.SetTitle(title)
	if st.Contract == "" {
		t.start.SetTitle("Start tracking")
		t.start.Disable()
	} else {
		t.start.SetTitle("Start tracking " + st.Contract)
		t.start.Enable()
	}
	if st.Tracking {
		t.start.Hide()
		t.stop.Show()
	} else {
		t.stop.Hide()
		t.start.Show()
	}
}

// Close removes the icon. Set may still be called (a session's last
// events arrive while the folder closes) and then does nothing.
func (t *Tray) Close() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.closed = true
	if t.end != nil {
		t.end()
	}
}
