//go:build !windows && !darwin && !(linux && cgo)

package capture

import (
	"fmt"
	"image"
	"runtime"
)

func unsupported() error {
	return fmt.Errorf("%w (GOOS=%s)", ErrUnsupported, runtime.GOOS)
}

func screens() ([]Screen, error) { return nil, unsupported() }

func captureRect(image.Rectangle) (image.Image, error) { return nil, unsupported() }

func activeWindow() (Window, error) { return Window{}, unsupported() }

func visibleWindows() ([]placed, error) { return nil, unsupported() }

// Supported is false: this build cannot take screenshots or read windows.
const Supported = false
