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
