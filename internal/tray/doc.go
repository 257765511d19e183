// Package tray owns the tray icon: a StatusNotifierItem on the session
// D-Bus (fyne.io/systray) showing whether time is recorded, on which
// contract and how much today, with a menu to start or stop, open the
// window and quit.
package tray
