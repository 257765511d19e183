//go:build !linux || !cgo

package main

import (
	"context"
	"io"
)

// run reports that this build has no input hook: gohook needs cgo, and
// only the X11 path is wired up and tested.
func run(context.Context, io.Writer) error { return errUnsupported }
