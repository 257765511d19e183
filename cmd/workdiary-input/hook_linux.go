//go:build linux && cgo

package main

/*
#cgo LDFLAGS: -lX11
#include <X11/Xlib.h>

// display_ok opens and closes a connection: the one reliable test that the
// display named by DISPLAY exists and lets us in.
static int display_ok(void) {
	Display *d = XOpenDisplay(NULL);
	if (d == NULL) return 0;
	XCloseDisplay(d);
	return 1;
}
*/
import "C"

import "os"

// hookHint is what to check when the hook does not start.
const hookHint = "is the XRecord extension available?"

// displayReady checks the X display before gohook touches it: gohook's
// constructor crashes the process when the display cannot be opened.
func displayReady() error {
	if os.Getenv("DISPLAY") == "" || C.display_ok() == 0 {
		return errNoDisplay
	}
	return nil
}
