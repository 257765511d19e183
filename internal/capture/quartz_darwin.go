//go:build darwin

package capture

import (
	"fmt"
	"sync"
	"unsafe"

	"github.com/ebitengine/purego"
)

// On macOS capture calls CoreGraphics and CoreFoundation through
// github.com/ebitengine/purego, which loads system frameworks and calls
// their C functions without cgo. So the command line (CGO_ENABLED=0, cross-
// built on Linux) records on a Mac as the app does, and no C toolchain or
// Apple SDK is needed to build it. Functions are looked up when first
// needed; a missing one is an error, never a crash.

const (
	coreFoundationPath = "/System/Library/Frameworks/CoreFoundation.framework/CoreFoundation"
	coreGraphicsPath   = "/System/Library/Frameworks/CoreGraphics.framework/CoreGraphics"
	libSystemPath      = "/usr/lib/libSystem.B.dylib"
)

// cgRect is CGRect (an origin and a size of CGFloat, 64-bit on every Mac
// Go supports), flattened: the C ABI passes both the same way.
type cgRect struct{ X, Y, W, H float64 }

const (
	kCFStringEncodingUTF8 = 0x08000100
	kCFNumberFloat64Type  = 6
	// CGWindowListOption and CGWindowImageOption (CGWindow.h).
	kCGWindowListOptionOnScreenOnly     = 1 << 0
	kCGWindowListExcludeDesktopElements = 1 << 4
	kCGNullWindowID                     = 0
	kCGWindowImageNominalResolution     = 1 << 4
	procPIDPathMax                      = 4 * 1024 // PROC_PIDPATHINFO_MAXSIZE
	maxDisplays                         = 32
)

// quartz holds the bound functions; platformMu serialises their use.
var quartz struct {
	once sync.Once
	err  error
	keys map[string]uintptr // CFStrings for the dictionary keys capture reads

	CFRelease                         func(uintptr)
	CFGetTypeID                       func(uintptr) uint64
	CFStringGetTypeID                 func() uint64
	CFNumberGetTypeID                 func() uint64
	CFDictionaryGetTypeID             func() uint64
	CFStringCreateWithCString         func(alloc uintptr, s string, encoding uint32) uintptr
	CFStringGetLength                 func(uintptr) int64
	CFStringGetMaximumSizeForEncoding func(length int64, encoding uint32) int64
	CFStringGetCString                func(s uintptr, buf *byte, size int64, encoding uint32) bool
	CFNumberGetValue                  func(n uintptr, kind int64, out *float64) bool
	CFArrayGetCount                   func(uintptr) int64
	CFArrayGetValueAtIndex            func(uintptr, int64) uintptr
	CFDictionaryGetValue              func(d, key uintptr) uintptr
	CFDataGetLength                   func(uintptr) int64
	CFDataGetBytePtr                  func(uintptr) *byte

	CGGetActiveDisplayList         func(max uint32, ids *uint32, count *uint32) int32
	CGDisplayBounds                func(display uint32) cgRect
	CGWindowListCopyWindowInfo     func(option, relativeTo uint32) uintptr
	CGWindowListCreateImage        func(r cgRect, option, window, imageOption uint32) uintptr
	CGImageGetWidth                func(uintptr) uint64
	CGImageGetHeight               func(uintptr) uint64
	CGImageGetBytesPerRow          func(uintptr) uint64
	CGImageGetBitsPerPixel         func(uintptr) uint64
	CGImageGetBitsPerComponent     func(uintptr) uint64
	CGImageGetBitmapInfo           func(uintptr) uint32
	CGImageGetDataProvider         func(uintptr) uintptr
	CGDataProviderCopyData         func(uintptr) uintptr
	CGImageRelease                 func(uintptr)
	CGPreflightScreenCaptureAccess func() bool
	CGRequestScreenCaptureAccess   func() bool

	procPIDPath func(pid int32, buf *byte, size uint32) int32
}

// loadQuartz binds every function once; its error stays for the process.
func loadQuartz() error {
	quartz.once.Do(func() { quartz.err = bindQuartz() })
	return quartz.err
}

func bindQuartz() error {
	libs := map[string]uintptr{}
	for _, path := range []string{coreFoundationPath, coreGraphicsPath, libSystemPath} {
		h, err := purego.Dlopen(path, purego.RTLD_NOW|purego.RTLD_GLOBAL)
		if err != nil {
			return fmt.Errorf("load %s: %w", path, err)
		}
		libs[path] = h
	}
	q := &quartz
	cf, cg := libs[coreFoundationPath], libs[coreGraphicsPath]
	for _, b := range []struct {
		lib      uintptr
		fn       any
		name     string
		optional bool // left nil when missing
	}{
		{cf, &q.CFRelease, "CFRelease", false},
		{cf, &q.CFGetTypeID, "CFGetTypeID", false},
		{cf, &q.CFStringGetTypeID, "CFStringGetTypeID", false},
		{cf, &q.CFNumberGetTypeID, "CFNumberGetTypeID", false},
		{cf, &q.CFDictionaryGetTypeID, "CFDictionaryGetTypeID", false},
		{cf, &q.CFStringCreateWithCString, "CFStringCreateWithCString", false},
		{cf, &q.CFStringGetLength, "CFStringGetLength", false},
		{cf, &q.CFStringGetMaximumSizeForEncoding, "CFStringGetMaximumSizeForEncoding", false},
		{cf, &q.CFStringGetCString, "CFStringGetCString", false},
		{cf, &q.CFNumberGetValue, "CFNumberGetValue", false},
		{cf, &q.CFArrayGetCount, "CFArrayGetCount", false},
		{cf, &q.CFArrayGetValueAtIndex, "CFArrayGetValueAtIndex", false},
		{cf, &q.CFDictionaryGetValue, "CFDictionaryGetValue", false},
		{cf, &q.CFDataGetLength, "CFDataGetLength", false},
		{cf, &q.CFDataGetBytePtr, "CFDataGetBytePtr", false},
		{cg, &q.CGGetActiveDisplayList, "CGGetActiveDisplayList", false},
		{cg, &q.CGDisplayBounds, "CGDisplayBounds", false},
		{cg, &q.CGWindowListCopyWindowInfo, "CGWindowListCopyWindowInfo", false},
		{cg, &q.CGWindowListCreateImage, "CGWindowListCreateImage", true},
		{cg, &q.CGImageGetWidth, "CGImageGetWidth", false},
		{cg, &q.CGImageGetHeight, "CGImageGetHeight", false},
		{cg, &q.CGImageGetBytesPerRow, "CGImageGetBytesPerRow", false},
		{cg, &q.CGImageGetBitsPerPixel, "CGImageGetBitsPerPixel", false},
		{cg, &q.CGImageGetBitsPerComponent, "CGImageGetBitsPerComponent", false},
		{cg, &q.CGImageGetBitmapInfo, "CGImageGetBitmapInfo", false},
		{cg, &q.CGImageGetDataProvider, "CGImageGetDataProvider", false},
		{cg, &q.CGDataProviderCopyData, "CGDataProviderCopyData", false},
		{cg, &q.CGImageRelease, "CGImageRelease", false},
		{cg, &q.CGPreflightScreenCaptureAccess, "CGPreflightScreenCaptureAccess", false},
		{cg, &q.CGRequestScreenCaptureAccess, "CGRequestScreenCaptureAccess", false},
		{libs[libSystemPath], &q.procPIDPath, "proc_pidpath", false},
	} {
		sym, err := purego.Dlsym(b.lib, b.name)
		if err != nil && b.optional {
			continue
		}
		if err != nil {
			return fmt.Errorf("this macOS lacks %s, which capture needs: %w", b.name, err)
		}
		purego.RegisterFunc(b.fn, sym)
	}
	q.keys = map[string]uintptr{}
	for _, k := range []string{keyOwnerName, keyOwnerPID, keyName, keyLayer, keyAlpha, keyBounds, "X", "Y", "Width", "Height"} {
		// Made once and kept for the life of the process.
		s := q.CFStringCreateWithCString(0, k, kCFStringEncodingUTF8)
		if s == 0 {
			return fmt.Errorf("make the CoreFoundation string %q", k)
		}
		q.keys[k] = s
	}
	return nil
}

// cfDict is a CFDictionaryRef owned by someone else (the window list).
type cfDict uintptr

func (d cfDict) value(key string, typeID func() uint64) (uintptr, bool) {
	k, ok := quartz.keys[key]
	if !ok || d == 0 {
		return 0, false
	}
	v := quartz.CFDictionaryGetValue(uintptr(d), k)
	if v == 0 || quartz.CFGetTypeID(v) != typeID() {
		return 0, false
	}
	return v, true
}

func (d cfDict) String(key string) (string, bool) {
	v, ok := d.value(key, quartz.CFStringGetTypeID)
	if !ok {
		return "", false
	}
	return cfString(v), true
}

func (d cfDict) Number(key string) (float64, bool) {
	v, ok := d.value(key, quartz.CFNumberGetTypeID)
	if !ok {
		return 0, false
	}
	var f float64
	// false only means the conversion was lossy; f holds the nearest value.
	_ = quartz.CFNumberGetValue(v, kCFNumberFloat64Type, &f)
	return f, true
}

func (d cfDict) Dict(key string) (cgDict, bool) {
	v, ok := d.value(key, quartz.CFDictionaryGetTypeID)
	if !ok {
		return nil, false
	}
	return cfDict(v), true
}

// cfString copies a CFString into Go as UTF-8.
func cfString(s uintptr) string {
	size := quartz.CFStringGetMaximumSizeForEncoding(quartz.CFStringGetLength(s), kCFStringEncodingUTF8) + 1
	if size <= 1 {
		return ""
	}
	buf := make([]byte, size)
	if !quartz.CFStringGetCString(s, &buf[0], size, kCFStringEncodingUTF8) {
		return ""
	}
	for i, c := range buf {
		if c == 0 {
			return string(buf[:i])
		}
	}
	return string(buf)
}

// cfBytes is a view of a CFData's bytes, valid until the CFData is released.
func cfBytes(data uintptr) []byte {
	n := quartz.CFDataGetLength(data)
	p := quartz.CFDataGetBytePtr(data)
	if n <= 0 || p == nil {
		return nil
	}
	return unsafe.Slice(p, n)
}
