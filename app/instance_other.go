//go:build !linux

package app

// FocusRunning is false off Linux, where a second app on a folder is
// refused by the folder's lock, saying which process holds it.
func FocusRunning(string) bool { return false }

// HaveSessionBus is true off Linux, where Wails' single-instance lock needs
// no bus.
func HaveSessionBus() bool { return true }
