package session

import (
	"os"
	"runtime"
	"strings"

	"github.com/workdiary/workdiary/internal/ledger"
)

// Kind is the kind of desktop session.
type Kind string

// Session kinds.
const (
	X11     Kind = "x11"
	Wayland Kind = "wayland"
	Windows Kind = "windows" // a Windows desktop: it has no DISPLAY to go by
	MacOS   Kind = "macos"   // a macOS desktop: its DISPLAY, if any, is XQuartz's
	None    Kind = "none"    // no display at all
)

// Session is the desktop session the tracker records in, and what it
// cannot record there.
type Session struct {
	Kind Kind `json:"kind"`
	// XWayland: X access goes through XWayland, which sees only the X
	// apps of a Wayland desktop.
	XWayland bool `json:"xwayland,omitempty"`
	// Limits is what every segment recorded in this session will lack.
	Limits ledger.Limits `json:"limits,omitempty"`
}

// Detect looks at this process's environment and display.
// A Windows process always runs in a desktop session (a service's has no
// screen, but Workdiary is not started as one), Wine's included: DISPLAY
// there is Wine's business, not the program's. So does a macOS one, where
// DISPLAY belongs to XQuartz and says nothing about the desktop.
func Detect() Session {
	switch runtime.GOOS {
	case "windows":
		return Session{Kind: Windows}
	case "darwin":
		return Session{Kind: MacOS}
	}
	return detect(os.Getenv, isXWayland)
}

// detect decides from the environment; xwayland asks the X server in
// DISPLAY whether it is XWayland (a Wayland session started without
// WAYLAND_DISPLAY in this process's environment still shows itself there).
func detect(env func(string) string, xwayland func(display string) bool) Session {
	display := env("DISPLAY")
	wayland := env("WAYLAND_DISPLAY") != "" || strings.EqualFold(env("XDG_SESSION_TYPE"), "wayland")
	switch {
	case wayland || (display != "" && xwayland(display)):
		s := Session{Kind: Wayland, XWayland: display != ""}
		// Screenshots of a Wayland desktop go through the compositor (the
		// desktop portal), input counts and the window in front through
		// X only reach XWayland's windows.
		s.Limits = ledger.LimitNoScreenshots | ledger.LimitNoInputCounts | ledger.LimitNoApps
		return s
	case display != "":
		return Session{Kind: X11}
	}
	return Session{Kind: None}
}

// Name is the session's name for people: "X11", "Wayland", "no display".
func (s Session) Name() string {
	switch s.Kind {
	case X11:
		return "X11"
	case Wayland:
		return "Wayland"
	case Windows:
		return "Windows"
	case MacOS:
		return "macOS"
	}
	return "no display"
}

// Lines say, one fact a line, what will and will not be recorded in this
// session and what to do about it; a session that records everything has
// one line saying so.
func (s Session) Lines() []string {
	switch s.Kind {
	case X11, Windows:
		return []string{s.Name() + " session: screenshots, input counts and the app in front are recorded"}
	case MacOS:
		return []string{s.Name() + " session: screenshots, input counts and the app in front are recorded",
			"Screenshots and window titles need the Screen Recording permission (System Settings → Privacy & Security → Screen Recording)"}
	case None:
		return []string{"No display: nothing can be recorded here. Start Workdiary inside your desktop session"}
	}
	var lines []string
	if s.Limits&ledger.LimitNoScreenshots != 0 {
		lines = append(lines, "Wayland session: screenshots cannot be taken; segments are marked \"screenshots unavailable in this session\"")
	} else {
		lines = append(lines, "Wayland session: screenshots are taken through the desktop's screenshot portal")
	}
	switch {
	case s.Limits&ledger.LimitIdleNotified != 0:
		lines = append(lines, "Activity is counted as active minutes from the desktop's idle notifications, not key presses and clicks")
	case s.Limits&ledger.LimitNoInputCounts != 0 && s.XWayland:
		lines = append(lines, "Key presses and clicks are counted only in X apps (XWayland), not in native Wayland windows")
	case s.Limits&ledger.LimitNoInputCounts != 0:
		lines = append(lines, "Key presses and clicks cannot be counted: minutes are recorded without activity and never taken for idle")
	}
	if s.Limits&ledger.LimitNoApps != 0 {
		lines = append(lines, "The app in front is seen only for X apps; other time shows as \"unknown\"")
	} else {
		lines = append(lines, "The app in front is read from the desktop's window list")
	}
	return append(lines, Advice)
}

// Advice is what to do to record everything on a Wayland desktop.
const Advice = "To record everything, log in to an X11 session (\"GNOME on Xorg\", \"Plasma (X11)\" at the login screen), or allow Workdiary the desktop's screenshot permission when it asks"

// Summary is the Lines in one paragraph, for a status line.
func (s Session) Summary() string { return strings.Join(s.Lines(), ". ") }
