package wayland

import "sync"

// Toplevel is a window as the compositor lists it.
type Toplevel struct {
	AppID string // the app's ID (a desktop file name, or an X app's class)
	Title string
	Class string // the window's class (X's WM_CLASS, KWin's resource class), where the desktop tells it
}

// Toplevels follows the compositor's list of windows and which one is
// activated (has the keyboard focus).
type Toplevels struct {
	mu      sync.Mutex
	windows map[uint32]*toplevelState
}

type toplevelState struct {
	cur, pending Toplevel
	active       bool
	pendActive   bool
}

// activatedState is zwlr_foreign_toplevel_handle_v1's state "activated".
const activatedState = 2

// WatchToplevels subscribes to wlroots' foreign-toplevel list
// (zwlr_foreign_toplevel_manager_v1); ErrNotOffered on a compositor
// without it (GNOME, KWin, weston).
func (cl *Client) WatchToplevels() (*Toplevels, error) {
	t := &Toplevels{windows: map[uint32]*toplevelState{}}
	_, err := cl.bind(ifaceToplevel, 3, func(op uint16, r *reader) {
		if op != 0 { // finished
			return
		}
		id := r.uint() // toplevel(new_id handle): the compositor names the new object
		if r.bad {
			return
		}
		t.mu.Lock()
		t.windows[id] = &toplevelState{}
		t.mu.Unlock()
		cl.c.hmu.Lock()
		cl.c.handlers[id] = func(op uint16, r *reader) { t.onHandle(id, op, r) }
		cl.c.hmu.Unlock()
	})
	if err != nil {
		return nil, err
	}
	return t, cl.roundtrip()
}

// onHandle applies a handle's events; title, app_id and state take effect
// at its done event, as the protocol says.
func (t *Toplevels) onHandle(id uint32, op uint16, r *reader) {
	t.mu.Lock()
	defer t.mu.Unlock()
	w := t.windows[id]
	if w == nil {
		return
	}
	switch op {
	case 0:
		w.pending.Title = r.str()
	case 1:
		w.pending.AppID = r.str()
	case 4:
		states := r.bytes()
		w.pendActive = false
		for i := 0; i+4 <= len(states); i += 4 {
			if uint32(states[i])|uint32(states[i+1])<<8|uint32(states[i+2])<<16|uint32(states[i+3])<<24 == activatedState {
				w.pendActive = true
			}
		}
	case 5:
		w.cur, w.active = w.pending, w.pendActive
	case 6:
		delete(t.windows, id)
	}
}

// Active returns the activated window; ok is false when none is (the
// desktop itself, or a lock screen, has the focus).
func (t *Toplevels) Active() (Toplevel, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for _, w := range t.windows {
		if w.active {
			return w.cur, true
		}
	}
	return Toplevel{}, false
}

// All returns every window the compositor lists.
func (t *Toplevels) All() []Toplevel {
	t.mu.Lock()
	defer t.mu.Unlock()
	out := make([]Toplevel, 0, len(t.windows))
	for _, w := range t.windows {
		out = append(out, w.cur)
	}
	return out
}
