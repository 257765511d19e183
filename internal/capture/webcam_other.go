//go:build !linux

package capture

import (
	"context"
	"fmt"
	"runtime"
)

// Webcam is only implemented for Linux (V4L2).
func Webcam(ctx context.Context) ([]byte, error) {
	return nil, fmt.Errorf("webcam: %w (GOOS=%s)", ErrUnsupported, runtime.GOOS)
}

// WebcamFrom is only implemented for Linux (V4L2).
func WebcamFrom(ctx context.Context, _ string) ([]byte, error) { return Webcam(ctx) }

// Cameras is only implemented for Linux (V4L2).
func Cameras() ([]Camera, error) {
	return nil, fmt.Errorf("webcam: %w (GOOS=%s)", ErrUnsupported, runtime.GOOS)
}
