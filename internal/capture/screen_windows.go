//go:build windows

package capture

import (
	"errors"
	"fmt"
	"image"
	"sync"
	"unsafe"

	"golang.org/x/sys/windows"
)

// On Windows the desktop is read through plain Win32 calls made with
// golang.org/x/sys/windows (user32, gdi32, dwmapi) rather than robotgo:
// no cgo, so `make release` cross-builds workdiary.exe and the app without
// a C toolchain for capture, and no C library keeps global state that the
// tracker's error handling cannot see. GDI gives the whole virtual screen
// (every monitor, in one coordinate space where monitors left of or above
// the primary one have negative coordinates), which is what Screen.Bounds
// holds.

var (
	user32 = windows.NewLazySystemDLL("user32.dll")
	gdi32  = windows.NewLazySystemDLL("gdi32.dll")

	procGetDC                         = user32.NewProc("GetDC")
	procReleaseDC                     = user32.NewProc("ReleaseDC")
	procEnumDisplayMonitors           = user32.NewProc("EnumDisplayMonitors")
	procGetMonitorInfoW               = user32.NewProc("GetMonitorInfoW")
	procSetProcessDpiAwarenessContext = user32.NewProc("SetProcessDpiAwarenessContext")
	procSetProcessDPIAware            = user32.NewProc("SetProcessDPIAware")

	procCreateCompatibleDC     = gdi32.NewProc("CreateCompatibleDC")
	procCreateCompatibleBitmap = gdi32.NewProc("CreateCompatibleBitmap")
	procSelectObject           = gdi32.NewProc("SelectObject")
	procBitBlt                 = gdi32.NewProc("BitBlt")
	procGetDIBits              = gdi32.NewProc("GetDIBits")
	procDeleteObject           = gdi32.NewProc("DeleteObject")
	procDeleteDC               = gdi32.NewProc("DeleteDC")
)

const (
	srccopy    = 0x00CC0020
	captureblt = 0x40000000 // include layered (translucent) windows
	dibRGB     = 0          // DIB_RGB_COLORS
	biRGB      = 0          // BI_RGB: uncompressed
	// dpiPerMonitorV2 is DPI_AWARENESS_CONTEXT_PER_MONITOR_AWARE_V2.
	dpiPerMonitorV2 = ^uintptr(3) // (DPI_AWARENESS_CONTEXT)-4
)

// desktopHint is what to check when Windows shows this process no screen:
// ErrNoDisplay's advice is about X and does not apply here.
const desktopHint = "is Workdiary running in your desktop session, not as a service?"

type rect struct{ Left, Top, Right, Bottom int32 }

func (r rect) image() image.Rectangle {
	return image.Rect(int(r.Left), int(r.Top), int(r.Right), int(r.Bottom))
}

type monitorInfo struct {
	Size    uint32
	Monitor rect
	Work    rect
	Flags   uint32
}

type bitmapInfoHeader struct {
	Size          uint32
	Width         int32
	Height        int32
	Planes        uint16
	BitCount      uint16
	Compression   uint32
	SizeImage     uint32
	XPelsPerMeter int32
	YPelsPerMeter int32
	ClrUsed       uint32
	ClrImportant  uint32
}

// bitmapInfo is BITMAPINFO with room for the three colour masks GetDIBits
// may write after the header.
type bitmapInfo struct {
	Header bitmapInfoHeader
	Colors [3]uint32
}

// dpiOnce makes the process DPI aware before the first measurement. A
// process that is not reads scaled monitors at 96 DPI: Windows reports
// shrunken bounds and BitBlt returns a downscaled, partial screen. The
// app's manifest already declares per-monitor awareness, so there the call
// fails harmlessly; the command line has no manifest and needs it.
var dpiOnce sync.Once

func dpiAware() {
	dpiOnce.Do(func() {
		if procSetProcessDpiAwarenessContext.Find() == nil {
			if r, _, _ := procSetProcessDpiAwarenessContext.Call(dpiPerMonitorV2); r != 0 {
				return
			}
		}
		if procSetProcessDPIAware.Find() == nil {
			_, _, _ = procSetProcessDPIAware.Call()
		}
	})
}

// monitors collects EnumDisplayMonitors' answers. Callbacks are a scarce
// resource on Windows (a process gets about 2000, never freed), so there
// is one, made once, and it appends here; platformMu serialises its use.
var (
	monitors     []image.Rectangle
	monitorsOnce sync.Once
	monitorProc  uintptr
)

func onMonitor(hmon, _ uintptr, _ *rect, _ uintptr) uintptr {
	mi := monitorInfo{Size: uint32(unsafe.Sizeof(monitorInfo{}))}
	if r, _, _ := procGetMonitorInfoW.Call(hmon, uintptr(unsafe.Pointer(&mi))); r != 0 {
		monitors = append(monitors, mi.Monitor.image())
	}
	return 1 // go on
}

// screens lists the monitors in the virtual screen's coordinates, in the
// order Windows enumerates them (the primary one is not necessarily first).
func screens() ([]Screen, error) {
	dpiAware()
	monitorsOnce.Do(func() { monitorProc = windows.NewCallback(onMonitor) })
	monitors = monitors[:0]
	if r, _, err := procEnumDisplayMonitors.Call(0, 0, monitorProc, 0); r == 0 {
		return nil, fmt.Errorf("list monitors (%s): %v", desktopHint, err)
	}
	var out []Screen
	for i, b := range monitors {
		if !b.Empty() {
			out = append(out, Screen{Index: i, Bounds: b})
		}
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("no monitor reported (%s)", desktopHint)
	}
	return out, nil
}

// captureRect copies one rectangle of the virtual screen into an opaque
// RGBA image at (0,0): BitBlt from the screen's device context into a
// bitmap, then GetDIBits as top-down 32-bit BGRX.
func captureRect(r image.Rectangle) (image.Image, error) {
	dpiAware()
	w, h := r.Dx(), r.Dy()
	if w <= 0 || h <= 0 {
		return nil, fmt.Errorf("empty capture rectangle %v", r)
	}
	screen, _, _ := procGetDC.Call(0)
	if screen == 0 {
		return nil, fmt.Errorf("no device context for the screen (%s)", desktopHint)
	}
	defer procReleaseDC.Call(0, screen)
	mem, _, _ := procCreateCompatibleDC.Call(screen)
	if mem == 0 {
		return nil, errors.New("create a memory device context")
	}
	defer procDeleteDC.Call(mem)
	bmp, _, _ := procCreateCompatibleBitmap.Call(screen, uintptr(w), uintptr(h))
	if bmp == 0 {
		return nil, fmt.Errorf("create a %dx%d bitmap", w, h)
	}
	defer procDeleteObject.Call(bmp)
	old, _, _ := procSelectObject.Call(mem, bmp)
	ok, _, err := procBitBlt.Call(mem, 0, 0, uintptr(w), uintptr(h), screen,
		uintptr(int32(r.Min.X)), uintptr(int32(r.Min.Y)), srccopy|captureblt)
	procSelectObject.Call(mem, old) // GetDIBits wants the bitmap deselected
	if ok == 0 {
		// A locked workstation or the secure desktop (UAC) refuses.
		return nil, fmt.Errorf("copy the screen (is the session locked?): %v", err)
	}
	bi := bitmapInfo{Header: bitmapInfoHeader{
		Width: int32(w), Height: -int32(h), // negative: top-down rows
		Planes: 1, BitCount: 32, Compression: biRGB,
	}}
	bi.Header.Size = uint32(unsafe.Sizeof(bi.Header))
	m := image.NewRGBA(image.Rect(0, 0, w, h))
	lines, _, _ := procGetDIBits.Call(mem, bmp, 0, uintptr(h), uintptr(unsafe.Pointer(&m.Pix[0])),
		uintptr(unsafe.Pointer(&bi)), dibRGB)
	if int(lines) != h {
		return nil, fmt.Errorf("read the captured bitmap: %d of %d rows", lines, h)
	}
	bgrxToRGBA(m.Pix)
	return m, nil
}

// Supported is true: this build captures through Win32.
const Supported = true
