//go:build darwin

package capture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"image"
	"image/png"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"
)

// Pixels come from CGWindowListCreateImage, in memory: no screenshot of an
// app that turns out to be excluded is ever written to a file, no process
// is started per shot, and the image of a rectangle of the global display
// space is asked for at nominal resolution, so it is in the same points as
// CGDisplayBounds and the window list and the exclusion list paints over
// the right pixels. Apple deprecated the call in macOS 14 in favour of
// ScreenCaptureKit (an Objective-C API with completion blocks) and says it
// will go; it is looked up when the program runs, so a macOS without it
// does not stop the program from starting. Where it is missing, or fails
// where the fallback works, capture uses the system's own `screencapture`
// tool, which every macOS has, through a private temporary file removed
// at once. Both need the Screen Recording
// permission, which is checked first: without it macOS silently returns
// the desktop picture instead of the windows.

// screencaptureTimeout bounds one run of the fallback tool.
const screencaptureTimeout = 20 * time.Second

// screens lists the active displays in the global display space, in
// points, the main display (whose top left is the origin) first. A display
// mirroring another has the same bounds and is listed once.
func screens() ([]Screen, error) {
	if err := loadQuartz(); err != nil {
		return nil, err
	}
	var ids [maxDisplays]uint32
	var n uint32
	if e := quartz.CGGetActiveDisplayList(maxDisplays, &ids[0], &n); e != 0 {
		return nil, fmt.Errorf("list displays: CoreGraphics error %d", e)
	}
	var out []Screen
	for i, id := range ids[:min(n, maxDisplays)] {
		r := quartz.CGDisplayBounds(id)
		b := image.Rect(round(r.X), round(r.Y), round(r.X+r.W), round(r.Y+r.H))
		if !b.Empty() && !slices.ContainsFunc(out, func(s Screen) bool { return s.Bounds == b }) {
			out = append(out, Screen{Index: i, Bounds: b})
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no display is active (is the Mac's screen asleep, or is Workdiary running outside your login session?)")
	}
	return out, nil
}

func round(f float64) int { return int(math.Round(f)) }

// requested is set once this process has asked macOS for the Screen
// Recording permission; platformMu guards it.
var requested bool

// screenRecordingAllowed checks the permission without asking. The first
// time it is missing, macOS is asked to prompt the user, which also puts
// the program into the Screen Recording list in System Settings.
func screenRecordingAllowed() error {
	if quartz.CGPreflightScreenCaptureAccess() {
		return nil
	}
	if !requested {
		requested = true
		_ = quartz.CGRequestScreenCaptureAccess()
	}
	return ErrScreenRecording
}

func ready() error {
	if err := loadQuartz(); err != nil {
		return err
	}
	return screenRecordingAllowed()
}

// captureRect copies one rectangle of the global display space (points)
// into an opaque RGBA image at (0,0), one pixel per point.
func captureRect(r image.Rectangle) (image.Image, error) {
	if err := loadQuartz(); err != nil {
		return nil, err
	}
	if r.Empty() {
		return nil, fmt.Errorf("empty capture rectangle %v", r)
	}
	if err := screenRecordingAllowed(); err != nil {
		return nil, err
	}
	m, err := shot(r)
	if err != nil {
		return nil, err
	}
	return fitPoints(m, r.Dx(), r.Dy()), nil
}

// viaScreencapture is set once CGWindowListCreateImage is missing or has
// failed where screencapture worked: a macOS that has kept the symbol
// but no longer serves it. platformMu guards it.
var viaScreencapture bool

func shot(r image.Rectangle) (*image.RGBA, error) {
	if viaScreencapture || quartz.CGWindowListCreateImage == nil {
		return screencaptureImage(r)
	}
	m, err := quartzImage(r)
	if err == nil {
		return m, nil
	}
	m, err2 := screencaptureImage(r)
	if err2 != nil {
		return nil, fmt.Errorf("%w; and %w", err, err2)
	}
	viaScreencapture = true
	return m, nil
}

// quartzImage asks the window server for the composited screen in r.
func quartzImage(r image.Rectangle) (*image.RGBA, error) {
	rect := cgRect{float64(r.Min.X), float64(r.Min.Y), float64(r.Dx()), float64(r.Dy())}
	img := quartz.CGWindowListCreateImage(rect, kCGWindowListOptionOnScreenOnly, kCGNullWindowID, kCGWindowImageNominalResolution)
	if img == 0 {
		return nil, fmt.Errorf("capture %v: macOS returned no image (is the screen locked or asleep?)", r)
	}
	defer quartz.CGImageRelease(img)
	bm := cgBitmap{
		Width:            int(quartz.CGImageGetWidth(img)),
		Height:           int(quartz.CGImageGetHeight(img)),
		BytesPerRow:      int(quartz.CGImageGetBytesPerRow(img)),
		BitsPerPixel:     int(quartz.CGImageGetBitsPerPixel(img)),
		BitsPerComponent: int(quartz.CGImageGetBitsPerComponent(img)),
		Info:             quartz.CGImageGetBitmapInfo(img),
	}
	data := quartz.CGDataProviderCopyData(quartz.CGImageGetDataProvider(img))
	if data == 0 {
		return nil, fmt.Errorf("capture %v: read the image's pixels", r)
	}
	defer quartz.CFRelease(data)
	return bm.toRGBA(cfBytes(data))
}

// screencaptureImage runs the system's screencapture for r and reads the
// PNG it writes. The file lives in a fresh folder only this user can open
// and is gone before the pixels are used.
func screencaptureImage(r image.Rectangle) (*image.RGBA, error) {
	dir, err := os.MkdirTemp("", "workdiary-shot-")
	if err != nil {
		return nil, fmt.Errorf("capture %v: %w", r, err)
	}
	defer os.RemoveAll(dir)
	path := filepath.Join(dir, "screen.png")
	ctx, cancel := context.WithTimeout(context.Background(), screencaptureTimeout)
	defer cancel()
	var stderr bytes.Buffer
	cmd := exec.CommandContext(ctx, screencapturePath, screencaptureArgs(r, path)...)
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("capture %v with %s: %v %s", r, screencapturePath, err, bytes.TrimSpace(stderr.Bytes()))
	}
	b, err := os.ReadFile(path)
	_ = os.Remove(path)
	if err != nil {
		return nil, fmt.Errorf("capture %v: %s wrote no image: %w", r, screencapturePath, err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		return nil, fmt.Errorf("capture %v: read %s's image: %w", r, screencapturePath, err)
	}
	return opaqueRGBA(img), nil
}

// Supported is true: this build captures through CoreGraphics.
const Supported = true
