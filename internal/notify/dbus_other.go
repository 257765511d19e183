//go:build !linux

package notify

import "context"

// Notifier is unavailable off Linux: Connect returns ErrUnsupported.
type Notifier struct{}

// Connect returns ErrUnsupported on this platform.
func Connect(appName, icon string) (*Notifier, error) { return nil, ErrUnsupported }

// Close does nothing.
func (n *Notifier) Close() error { return nil }

// Show returns ErrUnsupported.
func (n *Notifier) Show(Note, func(string)) error { return ErrUnsupported }

// Ask returns ErrUnsupported.
func (n *Notifier) Ask(context.Context, Note) (string, error) { return Closed, ErrUnsupported }
