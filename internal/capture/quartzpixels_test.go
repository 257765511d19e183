package capture

import (
	"bytes"
	"image"
	"testing"
)

func TestCGBitmapChannels(t *testing.T) {
	for _, tc := range []struct {
		name    string
		info    uint32
		r, g, b int
	}{
		// What CGWindowListCreateImage returns on current Macs: BGRA bytes.
		{"premultiplied first, 32-bit little-endian", cgAlphaPremultipliedFirst | cgByteOrder32Little, 2, 1, 0},
		{"skip first, 32-bit little-endian", cgAlphaNoneSkipFirst | cgByteOrder32Little, 2, 1, 0},
		{"alpha last, 32-bit little-endian (ABGR bytes)", cgAlphaLast | cgByteOrder32Little, 3, 2, 1},
		{"premultiplied last, default order (RGBA bytes)", cgAlphaPremultipliedLast, 0, 1, 2},
		{"skip last, 32-bit big-endian", cgAlphaNoneSkipLast | 4<<12, 0, 1, 2},
		{"alpha first, default order (ARGB bytes)", cgAlphaFirst, 1, 2, 3},
	} {
		r, g, b, err := cgBitmap{BitsPerPixel: 32, BitsPerComponent: 8, Info: tc.info}.channels()
		if err != nil || r != tc.r || g != tc.g || b != tc.b {
			t.Errorf("%s: channels = %d %d %d, %v; want %d %d %d", tc.name, r, g, b, err, tc.r, tc.g, tc.b)
		}
	}
	for _, bm := range []cgBitmap{
		{BitsPerPixel: 16, BitsPerComponent: 5, Info: cgAlphaNoneSkipFirst | cgByteOrder16Little},
		{BitsPerPixel: 32, BitsPerComponent: 8, Info: cgAlphaNoneSkipFirst | cgByteOrder16Big},
		{BitsPerPixel: 64, BitsPerComponent: 16, Info: cgAlphaPremultipliedLast},
		{BitsPerPixel: 32, BitsPerComponent: 8, Info: cgAlphaPremultipliedLast | cgFloatComponents},
		{BitsPerPixel: 32, BitsPerComponent: 8, Info: 0}, // no alpha in 32 bits: not a layout Quartz uses
		{BitsPerPixel: 32, BitsPerComponent: 8, Info: 7}, // alpha only
	} {
		if _, _, _, err := bm.channels(); err == nil {
			t.Errorf("channels accepted %+v", bm)
		}
	}
}

func TestCGBitmapToRGBA(t *testing.T) {
	// 2×2 BGRA (premultiplied first, little-endian) with 4 bytes of
	// padding after each row, alpha left at 0 as a window server may.
	pix := []byte{
		0x01, 0x02, 0x03, 0x00, 0x11, 0x12, 0x13, 0x00, 0xee, 0xee, 0xee, 0xee,
		0x21, 0x22, 0x23, 0x00, 0x31, 0x32, 0x33, 0x00, 0xee, 0xee, 0xee, 0xee,
	}
	bm := cgBitmap{Width: 2, Height: 2, BytesPerRow: 12, BitsPerPixel: 32, BitsPerComponent: 8,
		Info: cgAlphaPremultipliedFirst | cgByteOrder32Little}
	m, err := bm.toRGBA(pix)
	if err != nil {
		t.Fatal(err)
	}
	want := []byte{
		0x03, 0x02, 0x01, 0xff, 0x13, 0x12, 0x11, 0xff,
		0x23, 0x22, 0x21, 0xff, 0x33, 0x32, 0x31, 0xff,
	}
	if m.Rect != image.Rect(0, 0, 2, 2) || !bytes.Equal(m.Pix, want) {
		t.Errorf("toRGBA = %v %x; want %x", m.Rect, m.Pix, want)
	}
	// The last row needs no padding after it.
	if _, err := bm.toRGBA(pix[:20]); err != nil {
		t.Errorf("toRGBA without the last row's padding: %v", err)
	}
	if _, err := bm.toRGBA(pix[:19]); err == nil {
		t.Error("toRGBA accepted a short buffer")
	}
	for _, bad := range []cgBitmap{
		{Width: 2, Height: 2, BytesPerRow: 7},            // rows shorter than their pixels
		{Width: 2, Height: 1 << 62, BytesPerRow: 1 << 3}, // a size that would overflow
		{Width: 0, Height: 2, BytesPerRow: 12},           // empty
		{Width: 2, Height: 2, BytesPerRow: 1<<20 + 4},    // a row larger than any display's
	} {
		bad.BitsPerPixel, bad.BitsPerComponent, bad.Info = 32, 8, bm.Info
		if _, err := bad.toRGBA(pix); err == nil {
			t.Errorf("toRGBA accepted %+v", bad)
		}
	}
}

func TestFitPoints(t *testing.T) {
	// A Retina capture: 2×2 pixels for each point of a 2×1 point rectangle.
	m := image.NewRGBA(image.Rect(0, 0, 4, 2))
	for y := range 2 {
		for x := range 4 {
			v := uint8(0)
			if x >= 2 {
				v = 200
			}
			copy(m.Pix[y*m.Stride+4*x:], []byte{v, v, v, 0xff})
		}
	}
	got := fitPoints(m, 2, 1)
	if got.Rect != image.Rect(0, 0, 2, 1) || !bytes.Equal(got.Pix, []byte{0, 0, 0, 0xff, 200, 200, 200, 0xff}) {
		t.Errorf("fitPoints = %v %v", got.Rect, got.Pix)
	}
	if fitPoints(m, 4, 2) != m || fitPoints(m, 8, 4) != m {
		t.Error("fitPoints changed an image that is not larger than its rectangle")
	}
}
