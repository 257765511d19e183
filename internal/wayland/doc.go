// Package wayland owns what a Wayland desktop tells any program that asks
// about the person and their windows: when the person goes idle and comes
// back, and which window is in front. On the compositor's own socket it
// speaks ext-idle-notify-v1 (or KDE's org_kde_kwin_idle, which wlroots and
// KWin offer) and wlroots' zwlr-foreign-toplevel-management-v1, in the
// Wayland wire format itself (docs: wayland.freedesktop.org, "Wire
// Format"), so no C library is linked and the programs still build
// without cgo. GNOME and KDE keep part of this on the session bus instead:
// GNOME's idle monitor (org.gnome.Mutter.IdleMonitor), the lock screen
// (org.gnome.ScreenSaver, or org.freedesktop.ScreenSaver on KDE) and
// GNOME Shell's window list
// (org.gnome.Shell.Introspect), and on KDE the window in front through a
// small KWin script loaded with org.kde.kwin.Scripting. A desktop that
// offers none of these gives a clear ErrNotOffered (ErrRefused where it
// has the service but will not tell), and callers record that the
// session could not measure it.
package wayland
