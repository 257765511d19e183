//go:build linux

package capture

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"sort"
	"time"
	"unsafe"

	"golang.org/x/sys/unix"
)

// V4L2 constants and structs from <linux/videodev2.h>. The Go structs mirror
// the C layout field by field (unsafe.Sizeof feeds the ioctl numbers).
const (
	v4l2CapVideoCapture = 0x00000001
	v4l2CapStreaming    = 0x04000000
	v4l2CapDeviceCaps   = 0x80000000
	v4l2BufTypeCapture  = 1
	v4l2MemoryMmap      = 1
	v4l2FieldAny        = 0
	v4l2PixFmtMJPEG     = 'M' | 'J'<<8 | 'P'<<16 | 'G'<<24
	v4l2PixFmtYUYV      = 'Y' | 'U'<<8 | 'Y'<<16 | 'V'<<24
	camWidth, camHeight = 640, 480
)

type v4l2Capability struct {
	Driver       [16]byte
	Card         [32]byte
	BusInfo      [32]byte
	Version      uint32
	Capabilities uint32
	DeviceCaps   uint32
	Reserved     [3]uint32
}

type v4l2PixFormat struct {
	Width, Height, PixelFormat, Field, BytesPerLine, SizeImage uint32
	Colorspace, Priv, Flags, YcbcrEnc, Quantization, XferFunc  uint32
}

type v4l2Format struct {
	Type uint32
	_    uint32 // the C union is pointer-aligned
	Pix  v4l2PixFormat
	_    [200 - unsafe.Sizeof(v4l2PixFormat{})]byte
}

type v4l2RequestBuffers struct {
	Count, Type, Memory, Capabilities uint32
	Flags                             uint8
	_                                 [3]uint8
}

type v4l2Buffer struct {
	Index, Type, BytesUsed, Flags, Field uint32
	Timestamp                            unix.Timeval
	Timecode                             [16]byte
	Sequence, Memory                     uint32
	Offset                               uintptr // union m: offset / userptr / planes / fd
	Length, Reserved2, RequestFD         uint32
}

func ioc(dir, nr, size uintptr) uintptr { return dir<<30 | size<<16 | 'V'<<8 | nr }

var (
	vidiocQueryCap  = ioc(2, 0, unsafe.Sizeof(v4l2Capability{}))
	vidiocSFmt      = ioc(3, 5, unsafe.Sizeof(v4l2Format{}))
	vidiocReqBufs   = ioc(3, 8, unsafe.Sizeof(v4l2RequestBuffers{}))
	vidiocQueryBuf  = ioc(3, 9, unsafe.Sizeof(v4l2Buffer{}))
	vidiocQBuf      = ioc(3, 15, unsafe.Sizeof(v4l2Buffer{}))
	vidiocDQBuf     = ioc(3, 17, unsafe.Sizeof(v4l2Buffer{}))
	vidiocStreamOn  = ioc(1, 18, unsafe.Sizeof(int32(0)))
	vidiocStreamOff = ioc(1, 19, unsafe.Sizeof(int32(0)))
)

// Webcam takes one JPEG photo with the first V4L2 capture device. With no
// device it returns ErrNoCamera; a device that streams neither MJPEG nor
// YUYV gives ErrCameraFormat. Either way tracking goes on without a photo.
func Webcam(ctx context.Context) ([]byte, error) {
	return WebcamFrom(ctx, "")
}

// WebcamFrom takes one JPEG photo with the given device (e.g.
// /dev/video2), or with the first that works when device is "".
func WebcamFrom(ctx context.Context, device string) ([]byte, error) {
	if device != "" {
		return grab(ctx, device)
	}
	return webcamFrom(ctx, "/dev/video*")
}

func webcamFrom(ctx context.Context, pattern string) ([]byte, error) {
	devs, _ := filepath.Glob(pattern)
	sort.Strings(devs)
	var errs []error
	for _, dev := range devs {
		frame, err := grab(ctx, dev)
		if err == nil {
			return frame, nil
		}
		if errors.Is(err, errNotCapture) {
			continue // e.g. a UVC metadata node beside the real camera
		}
		errs = append(errs, fmt.Errorf("%s: %w", dev, err))
	}
	if len(errs) == 0 {
		return nil, ErrNoCamera
	}
	return nil, errors.Join(errs...)
}

// Cameras lists the V4L2 capture devices, by device path and the name the
// driver gives, for a person to choose one. Nodes that capture nothing
// (UVC metadata) are left out; none is an empty list, not an error.
func Cameras() ([]Camera, error) {
	devs, _ := filepath.Glob("/dev/video*")
	sort.Strings(devs)
	out := []Camera{}
	for _, dev := range devs {
		fd, err := unix.Open(dev, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
		if err != nil {
			out = append(out, Camera{Device: dev, Name: filepath.Base(dev), Problem: openProblem(err).Error()})
			continue
		}
		cp, err := captureCaps(fd)
		unix.Close(fd)
		if err != nil {
			continue
		}
		out = append(out, Camera{Device: dev, Name: cString(cp.Card[:])})
	}
	return out, nil
}

func cString(b []byte) string {
	if i := bytes.IndexByte(b, 0); i >= 0 {
		b = b[:i]
	}
	return string(b)
}

func openProblem(err error) error {
	if errors.Is(err, unix.EACCES) {
		return fmt.Errorf("open: %w (is the user in the video group?)", err)
	}
	return fmt.Errorf("open: %w", err)
}

var errNotCapture = errors.New("not a video capture device")

func ioctl(fd int, req uintptr, arg unsafe.Pointer) error {
	for {
		_, _, e := unix.Syscall(unix.SYS_IOCTL, uintptr(fd), req, uintptr(arg))
		if e == unix.EINTR {
			continue
		}
		if e != 0 {
			return e
		}
		return nil
	}
}

// captureCaps asks a device what it is; errNotCapture unless it captures
// video.
func captureCaps(fd int) (v4l2Capability, error) {
	var cp v4l2Capability
	if err := ioctl(fd, vidiocQueryCap, unsafe.Pointer(&cp)); err != nil {
		return cp, errNotCapture
	}
	caps := cp.Capabilities
	if caps&v4l2CapDeviceCaps != 0 {
		caps = cp.DeviceCaps
	}
	if caps&v4l2CapVideoCapture == 0 {
		return cp, errNotCapture
	}
	if caps&v4l2CapStreaming == 0 {
		return cp, fmt.Errorf("%w (device cannot stream)", ErrCameraFormat)
	}
	return cp, nil
}

// grab asks the device for MJPEG at 640×480, else for YUYV, which every
// UVC camera offers, and dequeues one frame through a single
// memory-mapped buffer (UVC webcams do not support read()).
func grab(ctx context.Context, dev string) ([]byte, error) {
	fd, err := unix.Open(dev, unix.O_RDWR|unix.O_NONBLOCK|unix.O_CLOEXEC, 0)
	if err != nil {
		return nil, openProblem(err)
	}
	defer unix.Close(fd)
	if _, err := captureCaps(fd); err != nil {
		return nil, err
	}
	for _, pix := range []uint32{v4l2PixFmtMJPEG, v4l2PixFmtYUYV} {
		f := v4l2Format{Type: v4l2BufTypeCapture, Pix: v4l2PixFormat{
			Width: camWidth, Height: camHeight, PixelFormat: pix, Field: v4l2FieldAny}}
		// A driver answers with the nearest format it has, so what it
		// set is read back rather than trusted.
		if err := ioctl(fd, vidiocSFmt, unsafe.Pointer(&f)); err != nil || f.Pix.PixelFormat != pix {
			continue
		}
		frame, err := streamOne(ctx, fd)
		if err != nil {
			return nil, err
		}
		if pix == v4l2PixFmtYUYV {
			return yuyvToJPEG(frame, int(f.Pix.Width), int(f.Pix.Height), int(f.Pix.BytesPerLine))
		}
		if len(frame) < 4 || frame[0] != 0xff || frame[1] != 0xd8 {
			return nil, fmt.Errorf("%w (frame is not a JPEG)", ErrCameraFormat)
		}
		return frame, nil
	}
	return nil, ErrCameraFormat
}

func streamOne(ctx context.Context, fd int) ([]byte, error) {
	rb := v4l2RequestBuffers{Count: 1, Type: v4l2BufTypeCapture, Memory: v4l2MemoryMmap}
	if err := ioctl(fd, vidiocReqBufs, unsafe.Pointer(&rb)); err != nil || rb.Count < 1 {
		return nil, fmt.Errorf("request buffers: %v", err)
	}
	buf := v4l2Buffer{Type: v4l2BufTypeCapture, Memory: v4l2MemoryMmap}
	if err := ioctl(fd, vidiocQueryBuf, unsafe.Pointer(&buf)); err != nil {
		return nil, fmt.Errorf("query buffer: %w", err)
	}
	mem, err := unix.Mmap(fd, int64(buf.Offset), int(buf.Length), unix.PROT_READ, unix.MAP_SHARED)
	if err != nil {
		return nil, fmt.Errorf("mmap: %w", err)
	}
	defer unix.Munmap(mem)
	if err := ioctl(fd, vidiocQBuf, unsafe.Pointer(&buf)); err != nil {
		return nil, fmt.Errorf("queue buffer: %w", err)
	}
	typ := int32(v4l2BufTypeCapture)
	if err := ioctl(fd, vidiocStreamOn, unsafe.Pointer(&typ)); err != nil {
		return nil, fmt.Errorf("stream on: %w", err)
	}
	defer ioctl(fd, vidiocStreamOff, unsafe.Pointer(&typ))
	if err := waitReadable(ctx, fd); err != nil {
		return nil, err
	}
	if err := ioctl(fd, vidiocDQBuf, unsafe.Pointer(&buf)); err != nil {
		return nil, fmt.Errorf("dequeue frame: %w", err)
	}
	n := min(int(buf.BytesUsed), len(mem))
	return append([]byte(nil), mem[:n]...), nil
}

// waitReadable polls in short steps so ctx cancellation is honoured; a
// camera that gives no frame in 5 s is treated as broken.
func waitReadable(parent context.Context, fd int) error {
	ctx, cancel := context.WithTimeout(parent, 5*time.Second)
	defer cancel()
	for ctx.Err() == nil {
		pfd := []unix.PollFd{{Fd: int32(fd), Events: unix.POLLIN}}
		n, err := unix.Poll(pfd, 100)
		if err != nil && err != unix.EINTR {
			return fmt.Errorf("poll camera: %w", err)
		}
		if n > 0 {
			return nil
		}
	}
	if err := parent.Err(); err != nil {
		return err
	}
	return errors.New("camera gave no frame within 5s")
}
