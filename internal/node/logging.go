package node

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strings"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/tracker"
)

// EnvLogLevel sets the log level of the desktop app and `serve` when no
// --log-level is given: debug, info, warn or error.
const EnvLogLevel = "WORKDIARY_LOG_LEVEL"

// Option is a choice made when a node is opened.
type Option func(*Node)

// WithLogger gives the node the logger it and the parts it starts (the
// store, the host, the sync protocols, the announcer, tracking sessions)
// write to. Without it the node writes warnings and errors to stderr.
func WithLogger(l *slog.Logger) Option {
	return func(n *Node) {
		if l != nil {
			n.log = l
		}
	}
}

// WithSmallStore opens the node's store with small memory
// (store.WithSmallMemory): for a process that runs many nodes at once,
// such as P8's thousand contractors.
func WithSmallStore() Option {
	return func(n *Node) { n.storeOpts = append(n.storeOpts, store.WithSmallMemory()) }
}

// DefaultLogger writes warnings and errors to stderr as text.
func DefaultLogger() *slog.Logger {
	return slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
}

// NewLogger writes to w the records at level and above ("debug", "info",
// "warn", "error"; empty: warn) in format ("text" or "json"; empty: text).
func NewLogger(w io.Writer, level, format string) (*slog.Logger, error) {
	var lv slog.Level
	if level == "" {
		level = "warn"
	}
	if err := lv.UnmarshalText([]byte(level)); err != nil {
		return nil, fmt.Errorf("log level %q: want debug, info, warn or error", level)
	}
	o := &slog.HandlerOptions{Level: lv}
	switch strings.ToLower(format) {
	case "", "text":
		return slog.New(slog.NewTextHandler(w, o)), nil
	case "json":
		return slog.New(slog.NewJSONHandler(w, o)), nil
	}
	return nil, fmt.Errorf("log format %q: want text or json", format)
}

// Logger is the node's logger, for the program that opened it.
func (n *Node) Logger() *slog.Logger { return n.log }

// shortRef is a contract ID as the log shows it: its short form.
func shortRef(id string) string { return id[:min(len(id), contract.ShortIDLen)] }

// logEvents logs a tracking session's events on their way to notify:
// problems and the session's start and end at info (the person sees them
// where the session runs), each minute and screenshot at debug.
func (n *Node) logEvents(ref string, notify func(tracker.Event)) func(tracker.Event) {
	l := n.log.With("component", "tracker", "contract", ref)
	return func(ev tracker.Event) {
		level := slog.LevelInfo
		if ev.Kind == tracker.MinuteRecorded || ev.Kind == tracker.ScreenshotTaken {
			level = slog.LevelDebug
		}
		args := []any{"at", ev.At}
		if ev.Segment != "" {
			args = append(args, "segment", ev.Segment)
		}
		if ev.Message != "" {
			args = append(args, "message", ev.Message)
		}
		l.Log(context.Background(), level, "tracking: "+string(ev.Kind), args...)
		if notify != nil {
			notify(ev)
		}
	}
}
