package capture

import (
	"bytes"
	"errors"
	"image/color"
	"image/jpeg"
	"testing"
)

// bars is a 640×480 YUYV frame as a UVC camera sends it: eight vertical
// colour bars of 75 % intensity in limited-range BT.601 (the values of the
// EBU/SMPTE test card that V4L2's vivid driver also draws), each row
// padded to stride bytes.
func bars(stride int) ([]byte, []color.RGBA) {
	type yuv struct{ y, u, v uint8 }
	card := []yuv{{180, 128, 128}, {162, 44, 142}, {131, 156, 44}, {112, 72, 58}, {84, 184, 198}, {65, 100, 212}, {35, 212, 114}, {16, 128, 128}}
	want := []color.RGBA{{191, 191, 191, 255}, {191, 191, 0, 255}, {0, 191, 191, 255}, {0, 191, 0, 255},
		{191, 0, 191, 255}, {191, 0, 0, 255}, {0, 0, 191, 255}, {0, 0, 0, 255}}
	const w, h = 640, 480
	frame := make([]byte, stride*h)
	for y := range h {
		for x := 0; x < w; x += 2 {
			b := card[x*len(card)/w]
			copy(frame[y*stride+2*x:], []byte{b.y, b.u, b.y, b.v})
		}
	}
	return frame, want
}

// A YUYV frame becomes a JPEG whose colours are the bars' (within JPEG's
// loss): limited range stretched to full, so black stays black.
func TestYUYVFrameToJPEG(t *testing.T) {
	for _, stride := range []int{1280, 1344} { // tight, and padded as some drivers do
		frame, want := bars(stride)
		out, err := yuyvToJPEG(frame, 640, 480, stride)
		if err != nil {
			t.Fatal(err)
		}
		img, err := jpeg.Decode(bytes.NewReader(out))
		if err != nil {
			t.Fatalf("stride %d: the photo is not a JPEG: %v", stride, err)
		}
		if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 480 {
			t.Fatalf("stride %d: photo %v, want 640×480", stride, b)
		}
		for i, c := range want {
			x := i*80 + 40
			r, g, bl, _ := img.At(x, 240).RGBA()
			got := color.RGBA{uint8(r >> 8), uint8(g >> 8), uint8(bl >> 8), 255}
			if !near(got, c, 12) {
				t.Errorf("stride %d: bar %d at x=%d is %v, want about %v", stride, i, x, got, c)
			}
		}
	}
}

func near(a, b color.RGBA, tol int) bool {
	d := func(x, y uint8) bool { return int(x)-int(y) <= tol && int(y)-int(x) <= tol }
	return d(a.R, b.R) && d(a.G, b.G) && d(a.B, b.B)
}

// A short or odd frame is refused with ErrCameraFormat, never read past.
func TestYUYVFrameRefusesBadSizes(t *testing.T) {
	frame, _ := bars(1280)
	cases := []struct {
		name         string
		frame        []byte
		w, h, stride int
	}{
		{"short", frame[:len(frame)-1], 640, 480, 1280},
		{"odd width", frame, 639, 480, 1280},
		{"no rows", frame, 640, 0, 1280},
		{"stride past the end", frame, 640, 480, 1400},
	}
	for _, c := range cases {
		if _, err := yuyvToJPEG(c.frame, c.w, c.h, c.stride); !errors.Is(err, ErrCameraFormat) {
			t.Errorf("%s: err = %v, want ErrCameraFormat", c.name, err)
		}
	}
}

func BenchmarkYUYVToJPEG(b *testing.B) {
	frame, _ := bars(1280)
	b.SetBytes(int64(len(frame)))
	for b.Loop() {
		if _, err := yuyvToJPEG(frame, 640, 480, 1280); err != nil {
			b.Fatal(err)
		}
	}
}

// Whatever a driver hands over and whatever size it claims, reading a YUYV
// frame either fails with ErrCameraFormat or yields an image of that size.
func FuzzYUYVImage(f *testing.F) {
	frame, _ := bars(1280)
	f.Add(frame[:1280*4], 640, 4, 1280)
	f.Add([]byte{16, 128, 235, 128}, 2, 1, 0)
	f.Fuzz(func(t *testing.T, frame []byte, w, h, stride int) {
		if w > 4096 || h > 4096 || stride > 1<<14 {
			return
		}
		img, err := yuyvImage(frame, w, h, stride)
		if err != nil {
			if !errors.Is(err, ErrCameraFormat) {
				t.Fatalf("err = %v, want ErrCameraFormat", err)
			}
			return
		}
		if b := img.Bounds(); b.Dx() != w || b.Dy() != h {
			t.Fatalf("image %v, want %d×%d", b, w, h)
		}
	})
}
