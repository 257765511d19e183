//go:build windows

package capture

import (
	"image"
	"path/filepath"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

var (
	procGetWindowTextW    = user32.NewProc("GetWindowTextW")
	procGetWindowRect     = user32.NewProc("GetWindowRect")
	procIsIconic          = user32.NewProc("IsIconic")
	procGetWindowLongPtrW = user32.NewProc("GetWindowLongPtrW")
)

const (
	// maxTitle bounds a title read, in UTF-16 units; longer ones are cut.
	maxTitle   = 1024
	gwlExstyle = ^uintptr(19) // GWL_EXSTYLE, -20
	// wsExLayered windows may be translucent and wsExTransparent ones let
	// clicks and drawing through: neither reliably hides what is below.
	wsExLayered     = 0x00080000
	wsExTransparent = 0x00000020
	// dwmwaExtendedFrameBounds is the window's visible rectangle: since
	// Windows 10, GetWindowRect includes an invisible resize border.
	dwmwaExtendedFrameBounds = 9
	// dwmwaCloaked is set on windows that are "visible" but not drawn: on
	// another virtual desktop, or a suspended store app.
	dwmwaCloaked = 14
)

// activeWindow reads the foreground window: its title, and the executable
// of the process that owns it. GetWindowTextW reads the title Windows keeps
// for a window of another process without sending it a message, so a hung
// app cannot stall the tracker.
func activeWindow() (Window, error) {
	hwnd := windows.GetForegroundWindow()
	if hwnd == 0 {
		return Window{}, ErrNoActiveWindow
	}
	w := owner(hwnd)
	w.Title = windowTitle(hwnd)
	return w, nil
}

// owner names the app behind a window: its process ID, the process's
// executable file name (e.g. "notepad.exe") and the window's class name,
// which plays the part of WM_CLASS for the exclusion list.
func owner(hwnd windows.HWND) Window {
	var pid uint32
	_, _ = windows.GetWindowThreadProcessId(hwnd, &pid)
	w := Window{PID: int(pid), Process: processName(pid)}
	buf := make([]uint16, 256)
	if n, err := windows.GetClassName(hwnd, &buf[0], int32(len(buf))); err == nil && n > 0 {
		w.Class = windows.UTF16ToString(buf[:n])
	}
	return w
}

func windowTitle(hwnd windows.HWND) string {
	buf := make([]uint16, maxTitle)
	n, _, _ := procGetWindowTextW.Call(uintptr(hwnd), uintptr(unsafe.Pointer(&buf[0])), uintptr(len(buf)))
	return windows.UTF16ToString(buf[:min(int(n), len(buf))])
}

// processName is the base name of the process's executable. The limited
// query right is granted for other users' processes too, except protected
// ones, which then show without a name.
func processName(pid uint32) string {
	if pid == 0 {
		return ""
	}
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, pid)
	if err != nil {
		return ""
	}
	defer windows.CloseHandle(h)
	buf := make([]uint16, windows.MAX_LONG_PATH)
	n := uint32(len(buf))
	if err := windows.QueryFullProcessImageName(h, 0, &buf[0], &n); err != nil {
		return ""
	}
	return filepath.Base(windows.UTF16ToString(buf[:n]))
}

// topWindows collects EnumWindows' answers through one callback made once
// (see monitors); platformMu serialises its use.
var (
	topWindows  []windows.HWND
	windowsOnce sync.Once
	windowsProc uintptr
)

func onWindow(hwnd windows.HWND, _ uintptr) uintptr {
	topWindows = append(topWindows, hwnd)
	return 1
}

// visibleWindows lists the top-level windows that are drawn, bottom to
// top: EnumWindows walks the Z order from the top, so the list is
// reversed. Minimised, hidden and cloaked windows draw nothing.
func visibleWindows() ([]placed, error) {
	windowsOnce.Do(func() { windowsProc = windows.NewCallback(onWindow) })
	topWindows = topWindows[:0]
	if err := windows.EnumWindows(windowsProc, nil); err != nil {
		return nil, err
	}
	out := make([]placed, 0, len(topWindows))
	for i := len(topWindows) - 1; i >= 0; i-- {
		hwnd := topWindows[i]
		if !windows.IsWindowVisible(hwnd) || iconic(hwnd) || cloaked(hwnd) {
			continue
		}
		r := bounds(hwnd)
		if r.Empty() {
			continue
		}
		ex, _, _ := procGetWindowLongPtrW.Call(uintptr(hwnd), gwlExstyle)
		out = append(out, placed{
			Window: owner(hwnd),
			Rect:   r,
			Opaque: ex&(wsExLayered|wsExTransparent) == 0,
		})
	}
	return out, nil
}

func iconic(hwnd windows.HWND) bool {
	r, _, _ := procIsIconic.Call(uintptr(hwnd))
	return r != 0
}

func cloaked(hwnd windows.HWND) bool {
	var c uint32
	err := windows.DwmGetWindowAttribute(hwnd, dwmwaCloaked, unsafe.Pointer(&c), uint32(unsafe.Sizeof(c)))
	return err == nil && c != 0
}

// bounds is the window's visible rectangle in virtual-screen coordinates:
// DWM's extended frame bounds where the compositor answers, else the
// window rectangle.
func bounds(hwnd windows.HWND) image.Rectangle {
	var r rect
	if windows.DwmGetWindowAttribute(hwnd, dwmwaExtendedFrameBounds, unsafe.Pointer(&r), uint32(unsafe.Sizeof(r))) == nil && r.Right > r.Left {
		return r.image()
	}
	if ok, _, _ := procGetWindowRect.Call(uintptr(hwnd), uintptr(unsafe.Pointer(&r))); ok == 0 {
		return image.Rectangle{}
	}
	return r.image()
}
