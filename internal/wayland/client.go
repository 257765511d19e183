package wayland

import (
	"errors"
	"fmt"
	"sync"
	"time"
)

// ErrNotOffered means the compositor does not offer the protocol asked for.
var ErrNotOffered = errors.New("the Wayland compositor does not offer this")

// Interfaces this package binds, and the versions it speaks.
const (
	ifaceSeat     = "wl_seat"
	ifaceExtIdle  = "ext_idle_notifier_v1"
	ifaceKDEIdle  = "org_kde_kwin_idle"
	ifaceToplevel = "zwlr_foreign_toplevel_manager_v1"
)

type global struct {
	name    uint32
	version uint32
}

// Client is a connection to the compositor with the globals it offers.
type Client struct {
	c        *conn
	registry uint32
	globals  map[string]global
	done     chan struct{}
	err      error
	mu       sync.Mutex
}

// Connect opens the compositor in WAYLAND_DISPLAY and learns its globals.
func Connect() (*Client, error) {
	c, err := dial()
	if err != nil {
		return nil, err
	}
	cl := &Client{c: c, globals: map[string]global{}, done: make(chan struct{})}
	c.handlers[1] = cl.onDisplay
	cl.registry = c.newID(cl.onRegistry)
	if err := c.send(1, 1, new(writer).uint(cl.registry)); err != nil { // wl_display.get_registry
		c.Close()
		return nil, fmt.Errorf("wayland: %w", err)
	}
	go func() {
		err := c.serve()
		cl.mu.Lock()
		cl.err = err
		cl.mu.Unlock()
		close(cl.done)
	}()
	if err := cl.roundtrip(); err != nil {
		cl.Close()
		return nil, err
	}
	return cl, nil
}

// Close ends the connection.
func (cl *Client) Close() error { return cl.c.Close() }

// Offers reports whether the compositor offers an interface.
func (cl *Client) Offers(iface string) bool {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	_, ok := cl.globals[iface]
	return ok
}

// OffersIdle reports whether WatchIdle can work here.
func (cl *Client) OffersIdle() bool { return cl.Offers(ifaceExtIdle) || cl.Offers(ifaceKDEIdle) }

// OffersToplevels reports whether WatchToplevels can work here.
func (cl *Client) OffersToplevels() bool { return cl.Offers(ifaceToplevel) }

// onDisplay handles wl_display's events: a protocol error ends the
// connection (the compositor closes it), delete_id needs nothing here.
func (cl *Client) onDisplay(op uint16, r *reader) {
	if op == 0 {
		obj, code, msg := r.uint(), r.uint(), r.str()
		cl.mu.Lock()
		cl.err = fmt.Errorf("wayland: compositor error on object %d, code %d: %s", obj, code, msg)
		cl.mu.Unlock()
	}
}

func (cl *Client) onRegistry(op uint16, r *reader) {
	if op != 0 { // global_remove: the seat or a protocol going away ends nothing here
		return
	}
	name, iface, version := r.uint(), r.str(), r.uint()
	if r.bad {
		return
	}
	cl.mu.Lock()
	cl.globals[iface] = global{name: name, version: version}
	cl.mu.Unlock()
}

// roundtrip waits until the compositor has handled every request so far
// (wl_display.sync).
func (cl *Client) roundtrip() error {
	done := make(chan struct{})
	var once sync.Once
	cb := cl.c.newID(func(uint16, *reader) { once.Do(func() { close(done) }) })
	if err := cl.c.send(1, 0, new(writer).uint(cb)); err != nil {
		return fmt.Errorf("wayland: %w", err)
	}
	select {
	case <-done:
		return nil
	case <-cl.done:
		return cl.failure()
	case <-time.After(5 * time.Second):
		return errors.New("wayland: the compositor did not answer within 5s")
	}
}

func (cl *Client) failure() error {
	cl.mu.Lock()
	defer cl.mu.Unlock()
	if cl.err != nil {
		return cl.err
	}
	return errors.New("wayland: the compositor closed the connection")
}

// bind binds a global at the lower of its version and max, with handler h
// for its events; the registry's bind takes the interface and version
// along with the new ID.
func (cl *Client) bind(iface string, max uint32, h func(uint16, *reader)) (uint32, error) {
	cl.mu.Lock()
	g, ok := cl.globals[iface]
	cl.mu.Unlock()
	if !ok {
		return 0, fmt.Errorf("%w: %s", ErrNotOffered, iface)
	}
	version := min(g.version, max)
	id := cl.c.newID(h)
	w := new(writer).uint(g.name).str(iface).uint(version).uint(id)
	if err := cl.c.send(cl.registry, 0, w); err != nil {
		return 0, fmt.Errorf("wayland: bind %s: %w", iface, err)
	}
	return id, nil
}
