//go:build darwin

package capture

import (
	"errors"
	"path/filepath"
)

// The windows on screen come from CGWindowListCopyWindowInfo, front to
// back, which gives every window's app name, process, layer, opacity and
// bounds without any permission; a window's title only with Screen
// Recording allowed (macOS 10.15 and later). Without it the app in front
// is still reported, with an empty title rather than a wrong one.

// windowList reads the windows on screen, front to back, without the
// desktop's own (the wallpaper and desktop icons).
func windowList() ([]cgWindow, error) {
	if err := loadQuartz(); err != nil {
		return nil, err
	}
	arr := quartz.CGWindowListCopyWindowInfo(kCGWindowListOptionOnScreenOnly|kCGWindowListExcludeDesktopElements, kCGNullWindowID)
	if arr == 0 {
		return nil, errors.New("macOS gave no window list (is Workdiary running outside your login session?)")
	}
	defer quartz.CFRelease(arr)
	n := quartz.CFArrayGetCount(arr)
	out := make([]cgWindow, 0, n)
	dictType := quartz.CFDictionaryGetTypeID()
	for i := range n {
		d := quartz.CFArrayGetValueAtIndex(arr, i)
		if d == 0 || quartz.CFGetTypeID(d) != dictType {
			continue
		}
		if w, ok := parseWindow(cfDict(d)); ok {
			out = append(out, w)
		}
	}
	return out, nil
}

// activeWindow reports the frontmost app window. macOS has no "focused
// window" a process can read without the Accessibility permission; the
// frontmost ordinary window is the active app's, except while the active
// app shows no window at all (then it is the window behind).
func activeWindow() (Window, error) {
	ws, err := windowList()
	if err != nil {
		return Window{}, err
	}
	w, ok := front(ws)
	if !ok {
		return Window{}, ErrNoActiveWindow
	}
	return macWindow(w, executable(w.PID)), nil
}

// visibleWindows lists the windows on screen bottom to top.
func visibleWindows() ([]placed, error) {
	ws, err := windowList()
	if err != nil {
		return nil, err
	}
	names := map[int]string{}
	return stacked(ws, func(pid int) string {
		name, ok := names[pid]
		if !ok {
			name = executable(pid)
			names[pid] = name
		}
		return name
	}), nil
}

// executable is the file name of the process's executable, or "" when the
// process is gone or not ours to inspect.
func executable(pid int) string {
	if pid <= 0 {
		return ""
	}
	var buf [procPIDPathMax]byte
	n := quartz.procPIDPath(int32(pid), &buf[0], procPIDPathMax)
	if n <= 0 || int(n) > len(buf) {
		return ""
	}
	return filepath.Base(string(buf[:n]))
}
