package capture

import (
	"image"
	"image/draw"
)

// blurFactor is how much blur shrinks the image before blowing it up again:
// a 16×16 block holds two or three characters of a terminal font, so no
// glyph survives.
const blurFactor = 16

// asRGBA returns img as RGBA, converting only when it is another type. The
// result may share pixels with img and is read-only; alpha is ignored
// downstream (the JPEG encoder and shrink read RGB only).
func asRGBA(img image.Image) *image.RGBA {
	if m, ok := img.(*image.RGBA); ok {
		return m
	}
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
	return dst
}

// opaqueRGBA copies img into a new RGBA at the origin with every alpha at
// 255.
func opaqueRGBA(img image.Image) *image.RGBA {
	b := img.Bounds()
	dst := image.NewRGBA(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(dst, dst.Rect, img, b.Min, draw.Src)
	forceOpaque(dst)
	return dst
}

// forceOpaque sets every alpha to 255 in place. X11 screenshots carry
// alpha 0, which anything compositing them would treat as transparent.
func forceOpaque(m *image.RGBA) {
	for i := 3; i < len(m.Pix); i += 4 {
		m.Pix[i] = 0xff
	}
}

// bgrxToRGBA turns GDI's byte order into RGBA in place; GDI leaves the
// fourth byte undefined (often 0), so alpha is set opaque.
func bgrxToRGBA(p []byte) {
	for i := 0; i+3 < len(p); i += 4 {
		p[i], p[i+2], p[i+3] = p[i+2], p[i], 0xff
	}
}

// shrink scales src down to w×h with a box filter: each output pixel is the
// mean of the source pixels it covers. It is exact for integer ratios, free
// of aliasing, ignores source alpha and returns an opaque image at (0,0).
func shrink(src *image.RGBA, w, h int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	xs := make([]int, w+1)
	for x := range xs {
		xs[x] = x * sw / w
	}
	sum := make([]uint32, w*3)
	for y := 0; y < h; y++ {
		y0, y1 := y*sh/h, (y+1)*sh/h
		if y1 <= y0 {
			y1 = y0 + 1
		}
		clear(sum)
		for sy := y0; sy < y1; sy++ {
			off := src.PixOffset(src.Rect.Min.X, src.Rect.Min.Y+sy)
			row := src.Pix[off : off+sw*4]
			for x := 0; x < w; x++ {
				a, b := xs[x], max(xs[x+1], xs[x]+1)
				var r, g, bl uint32
				for i := a * 4; i < b*4; i += 4 {
					r += uint32(row[i])
					g += uint32(row[i+1])
					bl += uint32(row[i+2])
				}
				sum[x*3] += r
				sum[x*3+1] += g
				sum[x*3+2] += bl
			}
		}
		out := dst.Pix[y*dst.Stride:]
		for x := 0; x < w; x++ {
			n := uint32(max(xs[x+1]-xs[x], 1) * (y1 - y0))
			out[x*4] = uint8((sum[x*3] + n/2) / n)
			out[x*4+1] = uint8((sum[x*3+1] + n/2) / n)
			out[x*4+2] = uint8((sum[x*3+2] + n/2) / n)
			out[x*4+3] = 0xff
		}
	}
	return dst
}

// enlarge scales a small opaque image at (0,0) up to w×h bilinearly, in
// 8-bit fixed point. Rows are interpolated horizontally once per source row,
// so each output pixel costs two multiply-adds per channel.
func enlarge(src *image.RGBA, w, h int) *image.RGBA {
	sw, sh := src.Rect.Dx(), src.Rect.Dy()
	x0, fx := taps(sw, w)
	y0, fy := taps(sh, h)
	wide := make([][]int32, sh) // each source row stretched to w pixels, RGB
	for sy := range wide {
		row := src.Pix[sy*src.Stride:]
		out := make([]int32, w*3)
		for x := 0; x < w; x++ {
			a, b, f := x0[x]*4, min(x0[x]+1, sw-1)*4, fx[x]
			for c := 0; c < 3; c++ {
				out[x*3+c] = int32(row[a+c])*(256-f) + int32(row[b+c])*f
			}
		}
		wide[sy] = out
	}
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		top, bot, f := wide[y0[y]], wide[min(y0[y]+1, sh-1)], fy[y]
		out := dst.Pix[y*dst.Stride:]
		for x := 0; x < w; x++ {
			for c := 0; c < 3; c++ {
				out[x*4+c] = uint8((top[x*3+c]*(256-f) + bot[x*3+c]*f + 1<<15) >> 16)
			}
			out[x*4+3] = 0xff
		}
	}
	return dst
}

// taps maps each of n output positions to a source index and an 8-bit
// weight for the next source pixel, sampling at pixel centres.
func taps(from, n int) ([]int, []int32) {
	idx, frac := make([]int, n), make([]int32, n)
	for i := range n {
		p := max(0, ((2*i+1)*from*256)/(2*n)-128) // source position ×256
		idx[i], frac[i] = min(p>>8, from-1), int32(p&0xff)
	}
	return idx, frac
}

// blur makes text unreadable: shrink by blurFactor, then scale back up
// bilinearly so the result is smooth blobs of the original colours.
func blur(src *image.RGBA) *image.RGBA {
	w, h := src.Rect.Dx(), src.Rect.Dy()
	small := shrink(src, max(1, w/blurFactor), max(1, h/blurFactor))
	return enlarge(small, w, h)
}
