// Package bustest gives tests the desktop services of GNOME and KDE on a
// session bus of the test's own: GNOME Shell's idle monitor
// (org.gnome.Mutter.IdleMonitor), lock screen (org.gnome.ScreenSaver) and
// window list (org.gnome.Shell.Introspect), and KWin's scripting
// (org.kde.kwin.Scripting), each built from its interface definition, not
// from the real desktop. KWin's scripts run in node with a stand-in for
// KWin's workspace object, so the script Workdiary loads is itself run.
package bustest
