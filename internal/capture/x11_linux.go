//go:build linux && cgo

package capture

/*
#cgo LDFLAGS: -lX11
#include <stdlib.h>
#include <X11/Xlib.h>

// Xlib's default error handler exits the process; a stray BadWindow while a
// window closes under us must not take the tracker down.
static int wd_ignore_x_error(Display *d, XErrorEvent *e) { return 0; }

// wd_display_ok opens and closes a connection to the display in $DISPLAY.
static int wd_display_ok(void) {
	Display *d = XOpenDisplay(NULL);
	if (d == NULL) return 0;
	XCloseDisplay(d);
	XSetErrorHandler(wd_ignore_x_error);
	return 1;
}
*/
import "C"

import (
	"fmt"
	"image"
	"io"
	"log"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/go-vgo/robotgo"
	"github.com/jezek/xgb"
	"github.com/jezek/xgb/xinerama"
	"github.com/jezek/xgb/xproto"
)

func init() {
	// xgb logs every connection without an ~/.Xauthority to stderr; the
	// tracker reports display problems through its own errors instead.
	xgb.Logger = log.New(io.Discard, "", 0)
}

// checkDisplay must pass before any robotgo call: robotgo hands a NULL
// Display to Xlib and segfaults when there is no X server. It is checked on
// every call because the X server can go away while the tracker runs.
func checkDisplay() error {
	if C.wd_display_ok() == 0 {
		return fmt.Errorf("%w (DISPLAY=%q)", ErrNoDisplay, os.Getenv("DISPLAY"))
	}
	return nil
}

// connect opens an xgb connection to the display in $DISPLAY.
func connect() (*xgb.Conn, error) {
	if err := checkDisplay(); err != nil {
		return nil, err
	}
	conn, err := xgb.NewConnDisplay("")
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNoDisplay, err)
	}
	return conn, nil
}

// screens asks Xinerama for the monitors in absolute root coordinates
// (robotgo.GetDisplayBounds reports them relative to the first monitor,
// which is wrong for capture when that one is not at the origin). Without
// Xinerama the whole root window is one monitor.
func screens() ([]Screen, error) {
	conn, err := connect()
	if err != nil {
		return nil, err
	}
	defer conn.Close()
	root := xproto.Setup(conn).DefaultScreen(conn)
	whole := image.Rect(0, 0, int(root.WidthInPixels), int(root.HeightInPixels))
	if xinerama.Init(conn) == nil {
		if r, err := xinerama.QueryScreens(conn).Reply(); err == nil && r.Number > 0 {
			out := make([]Screen, 0, r.Number)
			for i, s := range r.ScreenInfo {
				b := image.Rect(int(s.XOrg), int(s.YOrg), int(s.XOrg)+int(s.Width), int(s.YOrg)+int(s.Height))
				if b = b.Intersect(whole); !b.Empty() {
					out = append(out, Screen{Index: i, Bounds: b})
				}
			}
			if len(out) > 0 {
				return out, nil
			}
		}
	}
	return []Screen{{Index: 0, Bounds: whole}}, nil
}

// captureRect grabs one rectangle of the root window. Only the four-argument
// form of robotgo.CaptureImg is safe: with a display id, robotgo closes its
// cached main display and reuses the dangling pointer on the next call.
func captureRect(r image.Rectangle) (image.Image, error) {
	if err := checkDisplay(); err != nil {
		return nil, err
	}
	img, err := robotgo.CaptureImg(r.Min.X, r.Min.Y, r.Dx(), r.Dy())
	if err != nil {
		return nil, fmt.Errorf("robotgo capture: %w", err)
	}
	if got := img.Bounds(); got.Dx() != r.Dx() || got.Dy() != r.Dy() {
		return nil, fmt.Errorf("robotgo capture returned %v, want %dx%d", got, r.Dx(), r.Dy())
	}
	m, ok := img.(*image.RGBA)
	if !ok {
		return opaqueRGBA(img), nil
	}
	forceOpaque(m) // robotgo's buffer is ours alone
	return m, nil
}

// processName prefers the executable's base name (never truncated) and
// falls back to /proc/PID/comm (15 characters at most) when exe is not
// readable, e.g. for another user's process.
func processName(pid int) string {
	dir := filepath.Join("/proc", strconv.Itoa(pid))
	if exe, err := os.Readlink(filepath.Join(dir, "exe")); err == nil {
		return filepath.Base(strings.TrimSuffix(exe, " (deleted)"))
	}
	if comm, err := os.ReadFile(filepath.Join(dir, "comm")); err == nil {
		return strings.TrimSpace(string(comm))
	}
	return ""
}

// Supported is true: this build captures through X11.
const Supported = true
