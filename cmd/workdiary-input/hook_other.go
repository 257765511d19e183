//go:build !darwin && (!(linux || windows) || !cgo)

package main

import (
	"context"
	"io"
)

// run reports that this build has no input hook: gohook needs cgo, and
// only the X11 and Windows paths are wired up (macOS reads counters
// instead, hook_darwin.go).
func run(context.Context, io.Writer) error { return errUnsupported }
