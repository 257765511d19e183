package capture

import (
	"fmt"
	"image"
)

// cgBitmap describes a CGImage's pixel buffer as CGImageGetWidth,
// CGImageGetBytesPerRow and the others report it. Quartz screen images are
// 8-bit BGRA in practice (32-bit little-endian words with alpha first),
// but the layout is read rather than assumed.
type cgBitmap struct {
	Width, Height    int
	BytesPerRow      int
	BitsPerPixel     int
	BitsPerComponent int
	Info             uint32 // CGBitmapInfo
}

// CGBitmapInfo (CGImage.h): the alpha info in the low five bits, the byte
// order in bits 12–14, and a flag for float components.
const (
	cgAlphaInfoMask     = 0x1f
	cgFloatComponents   = 1 << 8
	cgByteOrderMask     = 0x7000
	cgByteOrder16Little = 1 << 12
	cgByteOrder32Little = 2 << 12
	cgByteOrder16Big    = 3 << 12

	cgAlphaPremultipliedLast  = 1
	cgAlphaPremultipliedFirst = 2
	cgAlphaLast               = 3
	cgAlphaFirst              = 4
	cgAlphaNoneSkipLast       = 5
	cgAlphaNoneSkipFirst      = 6
)

// channels returns where red, green and blue sit in each 4-byte pixel.
// Within the 32-bit word alpha (or the skipped byte) is first (ARGB, most
// significant byte first) or last (RGBA); a little-endian word stores its
// bytes the other way round.
func (b cgBitmap) channels() (r, g, bl int, err error) {
	if b.BitsPerPixel != 32 || b.BitsPerComponent != 8 || b.Info&cgFloatComponents != 0 {
		return 0, 0, 0, fmt.Errorf("unexpected screen image format: %d bits per pixel, %d per component, bitmap info %#x",
			b.BitsPerPixel, b.BitsPerComponent, b.Info)
	}
	var word [3]int // positions of R, G, B in the word, most significant byte first
	switch b.Info & cgAlphaInfoMask {
	case cgAlphaPremultipliedFirst, cgAlphaFirst, cgAlphaNoneSkipFirst:
		word = [3]int{1, 2, 3}
	case cgAlphaPremultipliedLast, cgAlphaLast, cgAlphaNoneSkipLast:
		word = [3]int{0, 1, 2}
	default:
		return 0, 0, 0, fmt.Errorf("unexpected screen image alpha layout %d", b.Info&cgAlphaInfoMask)
	}
	switch b.Info & cgByteOrderMask {
	case cgByteOrder32Little:
		return 3 - word[0], 3 - word[1], 3 - word[2], nil
	case cgByteOrder16Little, cgByteOrder16Big:
		return 0, 0, 0, fmt.Errorf("unexpected screen image byte order %#x", b.Info&cgByteOrderMask)
	}
	return word[0], word[1], word[2], nil // default and 32-bit big-endian
}

// toRGBA copies a CGImage's bytes into a new opaque RGBA image at (0,0).
// Rows may be padded (BytesPerRow beyond 4×Width). Alpha is dropped: a
// screenshot is opaque, and premultiplied colours of an opaque pixel are
// its colours.
func (b cgBitmap) toRGBA(pix []byte) (*image.RGBA, error) {
	r, g, bl, err := b.channels()
	if err != nil {
		return nil, err
	}
	// The bounds keep the size arithmetic below far from overflow; no
	// display is 65536 pixels wide.
	if b.Width <= 0 || b.Height <= 0 || b.Width > 1<<16 || b.Height > 1<<16 ||
		b.BytesPerRow < 4*b.Width || b.BytesPerRow > 1<<20 {
		return nil, fmt.Errorf("unexpected screen image size %dx%d with %d bytes per row", b.Width, b.Height, b.BytesPerRow)
	}
	if need := (b.Height-1)*b.BytesPerRow + 4*b.Width; len(pix) < need {
		return nil, fmt.Errorf("screen image has %d bytes, %dx%d needs %d", len(pix), b.Width, b.Height, need)
	}
	m := image.NewRGBA(image.Rect(0, 0, b.Width, b.Height))
	for y := range b.Height {
		src := pix[y*b.BytesPerRow : y*b.BytesPerRow+4*b.Width]
		dst := m.Pix[y*m.Stride : y*m.Stride+4*b.Width]
		for i := 0; i < len(src); i += 4 {
			dst[i], dst[i+1], dst[i+2], dst[i+3] = src[i+r], src[i+g], src[i+bl], 0xff
		}
	}
	return m, nil
}

// fitPoints brings a capture of a rectangle w×h points large down to w×h
// pixels. Screen bounds and window bounds on macOS are in points, and a
// Retina display has two (or more) pixels per point; the exclusion list
// paints hidden areas in point coordinates, so the image must be in
// points too. The encoder scales every shot to at most 1920 pixels wide
// anyway. An image that is not larger both ways is returned as it is.
func fitPoints(m *image.RGBA, w, h int) *image.RGBA {
	if m.Rect.Dx() < w || m.Rect.Dy() < h || (m.Rect.Dx() == w && m.Rect.Dy() == h) {
		return m
	}
	return shrink(m, w, h)
}
