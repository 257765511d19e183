// Package wayland owns talking to the Wayland compositor directly, over
// its socket, for what a Wayland desktop tells any client that asks: when
// the person goes idle and comes back (ext-idle-notify-v1, or KDE's
// org_kde_kwin_idle that wlroots and KWin offer), and which window is in
// front (wlroots' zwlr-foreign-toplevel-management-v1). It speaks the
// Wayland wire format itself (docs: wayland.freedesktop.org, "Wire
// Format"), so no C library is linked and the programs still build
// without cgo. A compositor that offers none of these protocols gives a
// clear ErrNotOffered, and callers record that the session could not
// measure it.
package wayland
