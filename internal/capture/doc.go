// Package capture owns what Workdiary sees of the contractor's desktop: the
// screens (a screenshot of every monitor), the focused window (process name
// and title) and the webcam.
//
// It only looks and encodes; it never stores. The tracker decides when to
// shoot and stores the result through its own interface. Privacy rules that
// must hold before any byte exists are enforced here: an excluded app in
// front replaces the shot by a placeholder, its windows elsewhere on screen
// are painted over, its title is withheld (Screened) and a required blur is
// applied before encoding.
//
// On Linux/X11 (files behind `linux && cgo`) pixels come from robotgo,
// monitors from Xinerama, the focused window from the window manager's
// EWMH properties (titles decoded by their type, COMPOUND_TEXT included)
// and the windows on screen from the root window's stacking order; every
// call first checks that an X display answers, because robotgo segfaults
// without one. On Windows (no cgo) the same interfaces use plain Win32
// through golang.org/x/sys/windows: GDI BitBlt/GetDIBits for each monitor
// of the virtual screen, GetForegroundWindow/GetWindowTextW and
// QueryFullProcessImageNameW for the window in front, and EnumWindows'
// Z order with DWM's visible bounds for the windows on screen. robotgo is
// not used there, so the Windows builds need no C toolchain for capture.
// On macOS (no cgo either) CoreGraphics and CoreFoundation are called
// through purego: CGGetActiveDisplayList/CGDisplayBounds for the displays,
// CGWindowListCreateImage at nominal resolution for each (screencapture
// where macOS no longer has it), CGWindowListCopyWindowInfo for the app in
// front and the windows on screen, and the Screen Recording permission
// checked by Ready before a session and before each shot. What decides
// rather than calls (quartz.go, quartzpixels.go) has no build constraint.
// Other builds get ErrUnsupported.
// The webcam uses V4L2 (Linux, no cgo). The encoding pipeline (Encode,
// Blur, Redacted, Excluded) is pure Go and works anywhere.
package capture
