package capture

import (
	"bytes"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"math/rand/v2"
	"strings"
	"testing"

	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

// sharpness is the mean absolute Laplacian of the luma: high for text and
// edges, near zero for smooth blobs. It is the blur criterion.
func sharpness(img image.Image) float64 {
	b := img.Bounds()
	g := image.NewGray(image.Rect(0, 0, b.Dx(), b.Dy()))
	draw.Draw(g, g.Rect, img, b.Min, draw.Src)
	w, h := g.Rect.Dx(), g.Rect.Dy()
	var sum float64
	for y := 1; y < h-1; y++ {
		for x := 1; x < w-1; x++ {
			c := 4*int(g.GrayAt(x, y).Y) - int(g.GrayAt(x-1, y).Y) - int(g.GrayAt(x+1, y).Y) -
				int(g.GrayAt(x, y-1).Y) - int(g.GrayAt(x, y+1).Y)
			sum += float64(max(c, -c))
		}
	}
	return sum / float64((w-2)*(h-2))
}

// meanAbsDiff compares two images of the same size, 0..255 per channel.
func meanAbsDiff(t *testing.T, a, b image.Image) float64 {
	t.Helper()
	if a.Bounds().Size() != b.Bounds().Size() {
		t.Fatalf("sizes differ: %v vs %v", a.Bounds(), b.Bounds())
	}
	ra, rb := opaqueRGBA(a), opaqueRGBA(b)
	var sum float64
	for i := range ra.Pix {
		d := int(ra.Pix[i]) - int(rb.Pix[i])
		sum += float64(max(d, -d))
	}
	return sum / float64(len(ra.Pix)*3/4)
}

func decodeJPEG(t *testing.T, b []byte) image.Image {
	t.Helper()
	img, err := jpeg.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode jpeg (%d bytes): %v", len(b), err)
	}
	return img
}

var words = strings.Fields(`func return error context image capture window
	screenshot tracker segment ledger contract approve employer contractor
	the quick brown fox jumps over lazy dog 0x1f 42 := if err != nil { } ;
	package import struct interface range for select defer go chan map`)

var (
	paper  = color.RGBA{250, 250, 248, 255}
	ink    = color.RGBA{30, 30, 30, 255}
	night  = color.RGBA{18, 18, 24, 255}
	green  = color.RGBA{120, 230, 120, 255}
	syntax = []color.RGBA{ink, {0, 90, 170, 255}, {160, 40, 120, 255}, {20, 130, 60, 255}}
)

// desktop draws a deterministic, realistic working desktop: wallpaper, a
// taskbar, a code editor, a terminal and a document, with the indentation,
// ragged lines and blank space real text has.
func desktop(w, h int) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	for y := 0; y < h; y++ {
		for x := 0; x < w; x++ {
			img.SetRGBA(x, y, color.RGBA{uint8(40 + 60*y/h), uint8(70 + 40*x/w), 120, 255})
		}
	}
	r := rand.New(rand.NewPCG(1, 2))
	fill(img, image.Rect(0, h-32, w, h), color.RGBA{30, 30, 36, 255})
	text(img, r, image.Rect(0, h-32, w/3, h), []color.RGBA{{220, 220, 220, 255}}, 1, 0, 1)
	editor := image.Rect(w/40, h/30, w*3/5, h-40)
	frame(img, editor, paper)
	fill(img, image.Rect(editor.Min.X, editor.Min.Y+24, editor.Min.X+40, editor.Max.Y), color.RGBA{235, 235, 235, 255})
	text(img, r, editor.Inset(4).Add(image.Pt(40, 20)), syntax, 10, 5, 4)
	term := image.Rect(w*31/50, h/12, w*39/40, h/2)
	frame(img, term, night)
	text(img, r, term.Inset(4).Add(image.Pt(0, 20)), []color.RGBA{green, {200, 200, 200, 255}}, 12, 1, 1)
	doc := image.Rect(w*31/50, h*21/40, w*39/40, h-40)
	frame(img, doc, color.RGBA{255, 255, 255, 255})
	text(img, r, doc.Inset(40).Add(image.Pt(0, 20)), []color.RGBA{{60, 60, 90, 255}}, 14, 0, 1)
	return img
}

func frame(img *image.RGBA, at image.Rectangle, bg color.RGBA) {
	fill(img, at, bg)
	fill(img, image.Rect(at.Min.X, at.Min.Y, at.Max.X, at.Min.Y+24), color.RGBA{200, 205, 215, 255})
}

// text fills at with lines of up to maxWords words, indented by up to
// indent levels; about one line in six is blank.
func text(img *image.RGBA, r *rand.Rand, at image.Rectangle, cols []color.RGBA, maxWords, indent, tokensPerColour int) {
	d := &font.Drawer{Dst: img, Face: basicfont.Face7x13}
	for y := at.Min.Y + 14; y < at.Max.Y-4; y += 17 {
		if r.IntN(6) == 0 {
			continue
		}
		x := at.Min.X + 28*r.IntN(indent+1)
		for n := 1 + r.IntN(maxWords); n > 0; n-- {
			wd := words[r.IntN(len(words))] + " "
			if x+7*len(wd) > at.Max.X {
				break
			}
			d.Src = image.NewUniform(cols[r.IntN(len(cols))%max(1, tokensPerColour)])
			d.Dot = fixed.P(x, y)
			d.DrawString(wd)
			x += 7 * len(wd)
		}
	}
}

func fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	draw.Draw(img, r, image.NewUniform(c), image.Point{}, draw.Src)
}
