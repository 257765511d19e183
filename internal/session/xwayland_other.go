//go:build !linux

package session

// isXWayland: XWayland exists only on Linux desktops; elsewhere the
// environment is all there is to go by.
func isXWayland(string) bool { return false }
