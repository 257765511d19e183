// Package session owns knowing which desktop session the tracker runs in
// (X11, Wayland, Windows, macOS, or none) and what that session lets it
// record: a Wayland compositor keeps screenshots, other programs' input
// and the window in front to itself, and X programs under XWayland see
// only the X windows.
// The command line, the app and the consent text say what Detect finds
// before anything is recorded, and the tracker marks each segment with the
// session's limits, so no time is recorded as more than it is.
//
// Detection reads the environment (XDG_SESSION_TYPE, WAYLAND_DISPLAY,
// DISPLAY) and, on Linux, asks the X server whether it is XWayland; the
// platform files hold that probe, with a fallback that trusts the
// environment alone.
package session
