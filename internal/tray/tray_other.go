//go:build !linux

package tray

// Tray is unavailable off Linux.
type Tray struct{}

// Start returns ErrUnsupported on this platform.
func Start(State, Actions) (*Tray, error) { return nil, ErrUnsupported }

// Set does nothing.
func (t *Tray) Set(State) {}

// Close does nothing.
func (t *Tray) Close() {}
