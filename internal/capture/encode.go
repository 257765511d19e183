package capture

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/jpeg"
)

// Defaults for a zero Policy. 1920 px is the stored width limit from the
// design (docs/design.md); 200 KB per full shot keeps an hour of one screenshot per segment
// well under P3's 1 MB per monitor.
const (
	DefaultMaxWidth   = 1920
	DefaultThumbWidth = 240
	DefaultMaxBytes   = 200 << 10
)

// JPEG quality: 70 keeps text legible for the employer and fits a typical
// 1920×1080 desktop in one encode. When it does not fit, one more encode at
// a quality picked from the measured size ratio: on screens of text,
// JPEG size at quality q relative to 70 is about 0.89 (60), 0.80 (50),
// 0.72 (40) and 0.60 (28). Two encodes at most keep P2 in reach.
const firstQuality = 70

var qualitySteps = []struct {
	ratio   float64 // budget/size at firstQuality at least this…
	quality int     // …then this quality should fit
}{{0.88, 60}, {0.80, 50}, {0.72, 40}, {0, 28}}

const thumbQuality = 70

// maxDecodePixels bounds Blur's input so a hostile or corrupt file cannot
// make us allocate gigabytes (8K × 8K is far above any real monitor).
const maxDecodePixels = 8192 * 8192

// Policy says how shots are taken and encoded. The zero value means: no
// blur, nothing excluded, default sizes.
type Policy struct {
	Blur       bool     // blur every shot before it is encoded (contract requires it or contractor chose it)
	Exclude    []string // process names whose windows are never captured (case-insensitive)
	MaxWidth   int      // full image width limit; 0 = DefaultMaxWidth
	ThumbWidth int      // thumbnail width; 0 = DefaultThumbWidth
	MaxBytes   int      // full image byte budget; 0 = DefaultMaxBytes
}

func (p Policy) withDefaults() Policy {
	if p.MaxWidth <= 0 {
		p.MaxWidth = DefaultMaxWidth
	}
	if p.ThumbWidth <= 0 {
		p.ThumbWidth = DefaultThumbWidth
	}
	if p.MaxBytes <= 0 {
		p.MaxBytes = DefaultMaxBytes
	}
	return p
}

// Shot is one encoded screenshot of one monitor.
type Shot struct {
	Monitor       int
	Full          []byte // JPEG, at most MaxWidth wide
	Thumb         []byte // JPEG, ThumbWidth wide
	Width, Height int    // of Full
	ThumbWidth    int
	ThumbHeight   int
	Quality       int  // JPEG quality Full was encoded at
	Blurred       bool // pixels were blurred before encoding
	Redacted      bool // the screen was replaced by the exclusion placeholder
}

// Bytes is the size of the full image.
func (s Shot) Bytes() int { return len(s.Full) }

// MIME is the media type of Full and Thumb.
func (s Shot) MIME() string { return "image/jpeg" }

// Encode scales img down to the policy's width, blurs it when the policy
// says so (before anything is encoded) and encodes the full image and a
// thumbnail as JPEG. A full image over MaxBytes is encoded once more at a
// lower quality (see encodeBudget).
func Encode(img image.Image, p Policy) (Shot, error) {
	p = p.withDefaults()
	b := img.Bounds()
	if b.Empty() {
		return Shot{}, errors.New("encode: empty image")
	}
	src := asRGBA(img)
	w, h := fitWidth(b.Dx(), b.Dy(), p.MaxWidth)
	if w != b.Dx() {
		src = shrink(src, w, h)
	}
	if p.Blur {
		src = blur(src)
	}
	full, q, err := encodeBudget(src, p.MaxBytes)
	if err != nil {
		return Shot{}, err
	}
	tw, th := fitWidth(w, h, p.ThumbWidth)
	thumb, err := encodeJPEG(shrink(src, tw, th), thumbQuality)
	if err != nil {
		return Shot{}, err
	}
	return Shot{
		Full: full, Thumb: thumb,
		Width: w, Height: h, ThumbWidth: tw, ThumbHeight: th,
		Quality: q, Blurred: p.Blur,
	}, nil
}

// Blur decodes a stored screenshot and returns it blurred, with a new
// thumbnail, for curation ("blur this screenshot"). The caller replaces both
// stored images.
func Blur(full []byte) (Shot, error) {
	cfg, err := jpeg.DecodeConfig(bytes.NewReader(full))
	if err != nil {
		return Shot{}, fmt.Errorf("blur: read screenshot header: %w", err)
	}
	if cfg.Width <= 0 || cfg.Height <= 0 || cfg.Width*cfg.Height > maxDecodePixels {
		return Shot{}, fmt.Errorf("blur: screenshot is %dx%d, outside the supported size", cfg.Width, cfg.Height)
	}
	img, err := jpeg.Decode(bytes.NewReader(full))
	if err != nil {
		return Shot{}, fmt.Errorf("blur: decode screenshot: %w", err)
	}
	return Encode(img, Policy{Blur: true, MaxWidth: cfg.Width})
}

// encodeBudget encodes at firstQuality and, when that is over max, once
// more at the quality predicted to fit. A screen too dense to fit even then
// (a full-screen terminal of small text) is kept over budget rather than
// made unreadable.
func encodeBudget(img *image.RGBA, max int) ([]byte, int, error) {
	out, err := encodeJPEG(img, firstQuality)
	if err != nil || len(out) <= max {
		return out, firstQuality, err
	}
	r := float64(max) / float64(len(out))
	for _, s := range qualitySteps {
		if r >= s.ratio {
			out, err = encodeJPEG(img, s.quality)
			return out, s.quality, err
		}
	}
	panic("unreachable: the last quality step has ratio 0")
}

func encodeJPEG(img image.Image, q int) ([]byte, error) {
	var buf bytes.Buffer
	buf.Grow(256 << 10)
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: q}); err != nil {
		return nil, fmt.Errorf("encode jpeg: %w", err)
	}
	return buf.Bytes(), nil
}

// fitWidth scales (w, h) down to at most max wide, keeping the aspect ratio.
func fitWidth(w, h, max int) (int, int) {
	if w <= max {
		return w, h
	}
	nh := (h*max + w/2) / w
	if nh < 1 {
		nh = 1
	}
	return max, nh
}
