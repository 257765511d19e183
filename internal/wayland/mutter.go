package wayland

import (
	"fmt"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

// GNOME's idle monitor on the session bus, as mutter's
// data/dbus-interfaces/org.gnome.Mutter.IdleMonitor.xml defines it.
const (
	mutterName   = "org.gnome.Mutter.IdleMonitor"
	mutterPath   = "/org/gnome/Mutter/IdleMonitor/Core" // the core monitor: input from every device
	mutterIface  = "org.gnome.Mutter.IdleMonitor"
	signalBuffer = 16 // signals waiting to be handled
)

// BusIdle follows GNOME's idle monitor (org.gnome.Mutter.IdleMonitor): an
// idle watch (AddIdleWatch) fires each time the person has given no input
// for the timeout, and a user-active watch (AddUserActiveWatch), added
// after each idle report, fires once at the next input. Mutter sends
// WatchFired to the watch's owner alone.
type BusIdle struct {
	conn    *dbus.Conn
	monitor dbus.BusObject
	timeout time.Duration
	on      func(idle bool)
	signals chan *dbus.Signal

	mu        sync.Mutex
	mutter    string // unique name of the monitor's owner; signals from others are ignored
	idleWatch uint32
	active    uint32 // the pending user-active watch, 0 for none
	idle      bool   // as last reported
}

// WatchBusIdle asks GNOME's idle monitor to report when the person has
// given no input for timeout, and when input comes back: on(true) at
// idle, on(false) at resume, as WatchIdle does for the Wayland protocols.
// ErrNotOffered when nobody owns org.gnome.Mutter.IdleMonitor. on is
// called on the watcher's goroutine.
func WatchBusIdle(timeout time.Duration, on func(idle bool)) (*BusIdle, error) {
	conn, err := sessionBus()
	if err != nil {
		return nil, err
	}
	b := &BusIdle{conn: conn, monitor: conn.Object(mutterName, mutterPath), timeout: timeout, on: on,
		signals: make(chan *dbus.Signal, signalBuffer)}
	if err := b.start(); err != nil {
		conn.Close()
		return nil, err
	}
	return b, nil
}

func (b *BusIdle) start() error {
	var err error
	if b.mutter, err = owner(b.conn, mutterName); err != nil {
		return err
	}
	b.conn.Signal(b.signals)
	if err := b.conn.AddMatchSignal(dbus.WithMatchInterface(mutterIface)); err != nil {
		return fmt.Errorf("idle monitor: %w", err)
	}
	if err := watchOwner(b.conn, mutterName); err != nil {
		return fmt.Errorf("idle monitor: %w", err)
	}
	if err := b.monitor.Call(mutterIface+".AddIdleWatch", 0, uint64(b.timeout/time.Millisecond)).Store(&b.idleWatch); err != nil {
		return fmt.Errorf("idle monitor: add idle watch: %w", err)
	}
	// An idle watch fires when the idle time reaches the timeout, so a
	// person already away longer than that would never be reported.
	var idleMS uint64
	if err := b.monitor.Call(mutterIface+".GetIdletime", 0).Store(&idleMS); err != nil {
		return fmt.Errorf("idle monitor: idle time: %w", err)
	}
	b.mu.Lock()
	if time.Duration(idleMS)*time.Millisecond >= b.timeout {
		b.goIdle()
	}
	b.mu.Unlock()
	go b.listen()
	return nil
}

// Close removes the watches and ends the connection.
func (b *BusIdle) Close() error {
	b.mu.Lock()
	ids := []uint32{b.idleWatch, b.active}
	b.mu.Unlock()
	for _, id := range ids {
		if id != 0 {
			b.monitor.Call(mutterIface+".RemoveWatch", 0, id)
		}
	}
	return b.conn.Close()
}

func (b *BusIdle) listen() {
	for s := range b.signals {
		b.handle(s)
	}
}

func (b *BusIdle) handle(s *dbus.Signal) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if o, ok := ownerChanged(s, mutterName); ok {
		// The monitor went away (or was replaced): nobody can say the
		// person is there, so they are not counted as present. A new
		// monitor knows nothing of the old watches.
		b.mutter, b.idleWatch, b.active = o, 0, 0
		if o != "" {
			b.monitor.Call(mutterIface+".AddIdleWatch", 0, uint64(b.timeout/time.Millisecond)).Store(&b.idleWatch)
		}
		b.goIdle()
		return
	}
	if s.Name != mutterIface+".WatchFired" || s.Sender != b.mutter || len(s.Body) != 1 {
		return
	}
	switch id, _ := s.Body[0].(uint32); {
	case id == 0:
	case id == b.idleWatch:
		b.goIdle()
	case id == b.active:
		b.active = 0 // a user-active watch fires once
		b.resume()
	}
}

// goIdle reports idle once, then waits for input.
func (b *BusIdle) goIdle() {
	if !b.idle {
		b.idle = true
		b.on(true)
	}
	if b.active != 0 || b.mutter == "" {
		return
	}
	if err := b.monitor.Call(mutterIface+".AddUserActiveWatch", 0).Store(&b.active); err != nil {
		return
	}
	// Input between the idle report and the watch is not "next input":
	// the idle time says whether it came already.
	var idleMS uint64
	if b.monitor.Call(mutterIface+".GetIdletime", 0).Store(&idleMS) == nil && time.Duration(idleMS)*time.Millisecond < b.timeout {
		b.monitor.Call(mutterIface+".RemoveWatch", 0, b.active)
		b.active = 0
		b.resume()
	}
}

func (b *BusIdle) resume() {
	if b.idle {
		b.idle = false
		b.on(false)
	}
}
