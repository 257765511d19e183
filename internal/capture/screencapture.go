package capture

import (
	"fmt"
	"image"
)

// screencapturePath is macOS's own screenshot tool, present on every Mac;
// capture falls back to it where CoreGraphics no longer offers
// CGWindowListCreateImage (screen_darwin.go).
const screencapturePath = "/usr/sbin/screencapture"

// screencaptureArgs asks screencapture for the rectangle r of the global
// display space (points) as a PNG file at path, without the shutter sound.
// The rectangle goes in the same argument as -R, so that a display left of
// or above the main one (negative coordinates) is not read as an option.
func screencaptureArgs(r image.Rectangle, path string) []string {
	return []string{"-x", "-t", "png", fmt.Sprintf("-R%d,%d,%d,%d", r.Min.X, r.Min.Y, r.Dx(), r.Dy()), path}
}
