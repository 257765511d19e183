package capture

import (
	"image"
	"image/draw"
)

// placed is a window on screen: its app, its outer rectangle in root
// coordinates (frame and title bar included) and whether it fully hides
// what is below it.
type placed struct {
	Window
	Rect   image.Rectangle
	Opaque bool
}

// hiddenAreas returns the parts of the screen where an excluded app's
// window can be seen, in root coordinates. Each stack lists the visible
// windows bottom to top (one listing before the capture and one after, so
// a window that moved or rose meanwhile is hidden wherever it was). Within
// a stack, an opaque window of another app above an excluded one keeps its
// own pixels.
func hiddenAreas(stacks [][]placed, exclude []string) []image.Rectangle {
	var out []image.Rectangle
	for _, stack := range stacks {
		for i, w := range stack {
			if !Excluded(w.Window, exclude) {
				continue
			}
			parts := []image.Rectangle{w.Rect}
			for _, above := range stack[i+1:] {
				if above.Opaque && !Excluded(above.Window, exclude) {
					parts = subtractAll(parts, above.Rect)
				}
			}
			out = append(out, parts...)
		}
	}
	return out
}

func subtractAll(rs []image.Rectangle, cut image.Rectangle) []image.Rectangle {
	var out []image.Rectangle
	for _, r := range rs {
		out = append(out, subtract(r, cut)...)
	}
	return out
}

// subtract returns r without cut, as up to four rectangles.
func subtract(r, cut image.Rectangle) []image.Rectangle {
	c := r.Intersect(cut)
	if c.Empty() {
		return []image.Rectangle{r}
	}
	var out []image.Rectangle
	for _, p := range []image.Rectangle{
		image.Rect(r.Min.X, r.Min.Y, r.Max.X, c.Min.Y), // above
		image.Rect(r.Min.X, c.Max.Y, r.Max.X, r.Max.Y), // below
		image.Rect(r.Min.X, c.Min.Y, c.Min.X, c.Max.Y), // left
		image.Rect(c.Max.X, c.Min.Y, r.Max.X, c.Max.Y), // right
	} {
		if !p.Empty() {
			out = append(out, p)
		}
	}
	return out
}

// blank paints the hidden areas that fall on one monitor's capture, whose
// top-left corner is at origin in root coordinates. It reports whether any
// pixel was painted.
func blank(img *image.RGBA, origin image.Point, areas []image.Rectangle) bool {
	painted := false
	for _, a := range areas {
		r := a.Sub(origin).Intersect(img.Rect)
		if r.Empty() {
			continue
		}
		draw.Draw(img, r, image.NewUniform(redactBackground), image.Point{}, draw.Src)
		painted = true
	}
	return painted
}
