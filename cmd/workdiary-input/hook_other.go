//go:build !(linux || windows) || !cgo

package main

import (
	"context"
	"io"
)

// run reports that this build has no input hook: gohook needs cgo, and
// only the X11 and Windows paths are wired up.
func run(context.Context, io.Writer) error { return errUnsupported }
