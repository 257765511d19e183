package capture

import (
	"image"
	"image/color"
	"image/draw"
	"strings"

	xdraw "golang.org/x/image/draw"
	"golang.org/x/image/font"
	"golang.org/x/image/font/basicfont"
	"golang.org/x/image/math/fixed"
)

var (
	redactBackground = color.RGBA{0x2b, 0x2f, 0x36, 0xff}
	redactText       = color.RGBA{0xe8, 0xea, 0xed, 0xff}
)

// Redacted returns the placeholder stored instead of a screenshot while an
// app on the exclusion list has the focus. It is drawn from nothing but the
// app's name, so no pixel of the excluded app can end up in it.
func Redacted(width, height int, appName string) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, max(width, 1), max(height, 1)))
	draw.Draw(img, img.Rect, image.NewUniform(redactBackground), image.Point{}, draw.Src)
	msg := "Screenshot withheld: " + printable(appName) + " is on your exclusion list"
	line := renderLine(msg)
	// Blow the 7×13 bitmap font up so the message reads at thumbnail size.
	scale := min(4, max(1, (width*4/5)/line.Rect.Dx()))
	tw, th := line.Rect.Dx()*scale, line.Rect.Dy()*scale
	at := image.Rect((width-tw)/2, (height-th)/2, (width-tw)/2+tw, (height-th)/2+th)
	xdraw.NearestNeighbor.Scale(img, at, line, line.Rect, xdraw.Over, nil)
	return img
}

// renderLine draws one line of text at the font's native size on a
// transparent canvas.
func renderLine(s string) *image.RGBA {
	face := basicfont.Face7x13
	d := &font.Drawer{Face: face, Src: image.NewUniform(redactText)}
	w := d.MeasureString(s).Ceil()
	m := face.Metrics()
	h := (m.Ascent + m.Descent).Ceil()
	line := image.NewRGBA(image.Rect(0, 0, max(w, 1), h))
	d.Dst = line
	d.Dot = fixed.Point26_6{Y: m.Ascent}
	d.DrawString(s)
	return line
}

// printable keeps an app name to one line of ASCII the bitmap font can draw.
func printable(name string) string {
	name = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return '?'
		}
		return r
	}, strings.TrimSpace(name))
	if name == "" {
		return "an excluded app"
	}
	if len(name) > 40 {
		name = name[:40]
	}
	return name
}

// ExcludedTitle stands in for the title of an excluded app's window: the
// diary records that the app was in front, never what it showed.
const ExcludedTitle = "(excluded)"

// Excluded reports whether the window belongs to an app on the exclusion
// list. An entry matches the executable's name or either name of the
// window's WM_CLASS (what `xprop WM_CLASS` shows), case-insensitive and
// ignoring a Windows ".exe" suffix on either side; titles change too often
// to be a reliable privacy rule.
func Excluded(w Window, list []string) bool {
	_, ok := excludedAs(w, list)
	return ok
}

// excludedAs is Excluded with the name that matched, for the placeholder.
func excludedAs(w Window, list []string) (string, bool) {
	for _, name := range []string{w.Process, w.Instance, w.Class} {
		n := normProcess(name)
		if n == "" {
			continue
		}
		for _, e := range list {
			if normProcess(e) == n {
				return name, true
			}
		}
	}
	return "", false
}

// Screened returns w as it may be recorded: an excluded app keeps its name
// and its title becomes ExcludedTitle.
func Screened(w Window, list []string) Window {
	if Excluded(w, list) {
		w.Title = ExcludedTitle
	}
	return w
}

func normProcess(s string) string {
	s = strings.ToLower(strings.TrimSpace(s))
	return strings.TrimSuffix(s, ".exe")
}
