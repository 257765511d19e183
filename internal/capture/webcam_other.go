//go:build !linux

package capture

import (
	"context"
	"runtime"
)

// Webcam is only implemented for Linux (V4L2).
func Webcam(ctx context.Context) ([]byte, error) { return nil, webcamUnsupported{} }

// webcamUnsupported is ErrUnsupported in words about the webcam: this
// platform may well take screenshots, which ErrUnsupported's own text
// would deny.
type webcamUnsupported struct{}

func (webcamUnsupported) Error() string {
	return "webcam photos are not supported on " + runtime.GOOS + " (only on Linux): tracking continues without them"
}

func (webcamUnsupported) Unwrap() error { return ErrUnsupported }
