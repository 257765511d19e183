package wayland

import (
	"fmt"
	"time"
)

// WatchIdle asks the compositor to report when the person has given no
// input for timeout, and when input comes back: on(true) at idle, on(false)
// at resume. It prefers ext-idle-notify-v1 and falls back to KDE's
// org_kde_kwin_idle (wlroots before 0.17, KWin); ErrNotOffered when the
// compositor has neither (GNOME's Mutter offers its idle monitor over
// D-Bus instead). on is called on the connection's goroutine.
func (cl *Client) WatchIdle(timeout time.Duration, on func(idle bool)) (protocol string, err error) {
	seat, err := cl.bind(ifaceSeat, 1, nil)
	if err != nil {
		return "", err
	}
	ms := uint32(timeout / time.Millisecond)
	// Both protocols number their events alike: 0 idle, 1 resumed.
	handler := func(op uint16, _ *reader) {
		switch op {
		case 0:
			on(true)
		case 1:
			on(false)
		}
	}
	if cl.Offers(ifaceExtIdle) {
		notifier, err := cl.bind(ifaceExtIdle, 1, nil)
		if err != nil {
			return "", err
		}
		n := cl.c.newID(handler)
		// get_idle_notification(id, timeout, seat)
		if err := cl.c.send(notifier, 1, new(writer).uint(n).uint(ms).uint(seat)); err != nil {
			return "", fmt.Errorf("wayland: idle notification: %w", err)
		}
		return ifaceExtIdle, cl.roundtrip()
	}
	idle, err := cl.bind(ifaceKDEIdle, 1, nil)
	if err != nil {
		return "", fmt.Errorf("%w: neither %s nor %s", ErrNotOffered, ifaceExtIdle, ifaceKDEIdle)
	}
	n := cl.c.newID(handler)
	// get_idle_timeout(id, seat, timeout)
	if err := cl.c.send(idle, 0, new(writer).uint(n).uint(seat).uint(ms)); err != nil {
		return "", fmt.Errorf("wayland: idle timeout: %w", err)
	}
	return ifaceKDEIdle, cl.roundtrip()
}
