//go:build windows && cgo

package main

// hookHint is what to check when the hook does not start.
const hookHint = "another program may block global input hooks"

// displayReady: a Windows desktop session always has its display, and
// gohook's low-level hooks need no connection opened first.
func displayReady() error { return nil }
