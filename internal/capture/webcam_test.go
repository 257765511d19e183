//go:build linux && (amd64 || arm64)

package capture

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

func TestWebcam(t *testing.T) {
	devs, _ := filepath.Glob("/dev/video*")
	photo, err := Webcam(context.Background())
	if len(devs) > 0 {
		// A developer machine with a camera: a JPEG or a reason, never both.
		if (err == nil) == (len(photo) < 2 || photo[0] != 0xff || photo[1] != 0xd8) {
			t.Fatalf("with %v: Webcam() = %d bytes, %v; want a JPEG or an error", devs, len(photo), err)
		}
		t.Logf("with %v: %d bytes, %v", devs, len(photo), err)
		return
	}
	if !errors.Is(err, ErrNoCamera) {
		t.Fatalf("Webcam() = %v, want ErrNoCamera", err)
	}
	if want := "no camera found: tracking continues without webcam photos"; err.Error() != want {
		t.Errorf("message %q, want %q", err, want)
	}
}

// A node that is not a V4L2 capture device (here a plain file, which
// answers VIDIOC_QUERYCAP with ENOTTY) does not count as a camera.
func TestWebcamSkipsNonCaptureNodes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "video0"), []byte("not a camera"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := webcamFrom(context.Background(), filepath.Join(dir, "video*")); !errors.Is(err, ErrNoCamera) {
		t.Errorf("webcamFrom(plain file) = %v, want ErrNoCamera", err)
	}
}

// The ioctl numbers encode the struct sizes, so they pin the Go structs to
// <linux/videodev2.h> (values for 64-bit Linux).
func TestV4L2ABI(t *testing.T) {
	tests := []struct {
		name      string
		got, want uintptr
	}{
		{"VIDIOC_QUERYCAP", vidiocQueryCap, 0x80685600},
		{"VIDIOC_S_FMT", vidiocSFmt, 0xc0d05605},
		{"VIDIOC_REQBUFS", vidiocReqBufs, 0xc0145608},
		{"VIDIOC_QUERYBUF", vidiocQueryBuf, 0xc0585609},
		{"VIDIOC_QBUF", vidiocQBuf, 0xc058560f},
		{"VIDIOC_DQBUF", vidiocDQBuf, 0xc0585611},
		{"VIDIOC_STREAMON", vidiocStreamOn, 0x40045612},
		{"VIDIOC_STREAMOFF", vidiocStreamOff, 0x40045613},
	}
	for _, tt := range tests {
		if tt.got != tt.want {
			t.Errorf("%s = %#x, want %#x", tt.name, tt.got, tt.want)
		}
	}
}

// A chosen camera that is gone says so (fs.ErrNotExist), so the caller can
// fall back to any camera; Cameras lists nothing that is not a capture
// device, and never fails for want of one.
func TestChosenCameraGone(t *testing.T) {
	if _, err := WebcamFrom(context.Background(), filepath.Join(t.TempDir(), "video9")); !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("WebcamFrom(a missing device) = %v, want fs.ErrNotExist", err)
	}
	cams, err := Cameras()
	if err != nil || cams == nil {
		t.Fatalf("Cameras() = %v, %v; want a list (empty without cameras)", cams, err)
	}
	devs, _ := filepath.Glob("/dev/video*")
	if len(devs) == 0 && len(cams) != 0 {
		t.Fatalf("Cameras() = %v without any /dev/video*", cams)
	}
}
