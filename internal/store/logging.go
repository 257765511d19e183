package store

import (
	"fmt"
	"log/slog"
	"strings"
)

// Option is a choice made when a store is opened.
type Option func(*Store)

// WithLogger gives the store the logger it writes to (as
// component=store): Badger's warnings and errors, and a read-only store
// that can be written again. Without it the store writes to slog's
// default logger.
func WithLogger(l *slog.Logger) Option {
	return func(s *Store) {
		if l != nil {
			s.log = l.With("component", "store")
		}
	}
}

// WithSmallMemory opens the database with Badger's buffers and caches
// cut to a few megabytes (see small), for a process that holds many
// small folders open at once, such as a benchmark running a thousand
// contractors' nodes (P8). A folder opened so stays an ordinary folder:
// opened without it, it reads and writes as before.
func WithSmallMemory() Option {
	return func(s *Store) { s.small = true }
}

// badgerLogger keeps Badger's chatter (its info and debug lines) off the
// log; its warnings and errors go to the store's logger at their level.
type badgerLogger struct{ l *slog.Logger }

func (b badgerLogger) Errorf(f string, a ...any) { b.l.Error(badgerLine(f, a), "from", "badger") }
func (b badgerLogger) Warningf(f string, a ...any) {
	b.l.Warn(badgerLine(f, a), "from", "badger")
}
func (badgerLogger) Infof(string, ...any)  {}
func (badgerLogger) Debugf(string, ...any) {}

// badgerLine is one of Badger's printf lines without its trailing newline.
func badgerLine(f string, a []any) string {
	return strings.TrimSpace(fmt.Sprintf(f, a...))
}
