// Package waylandtest gives tests a real Wayland compositor: sway on its
// headless backend (no GPU, no input devices), in a runtime folder of its
// own, with the programs that drive it (wtype, a virtual keyboard) at hand.
package waylandtest
