package capture

import (
	"image"
	"slices"
	"testing"
)

func TestHiddenAreas(t *testing.T) {
	bank := Window{Process: "bankapp"}
	other := Window{Process: "xterm"}
	byClass := Window{Instance: "keepassxc", Class: "KeePassXC"}
	big, small := image.Rect(0, 0, 100, 100), image.Rect(20, 20, 60, 60)
	for _, c := range []struct {
		name   string
		stacks [][]placed
		want   []image.Rectangle
	}{
		{"nothing excluded", [][]placed{{{other, big, true}}}, nil},
		{"excluded alone", [][]placed{{{bank, small, true}}}, []image.Rectangle{small}},
		{"matched by window class", [][]placed{{{byClass, small, true}}}, []image.Rectangle{small}},
		{"excluded above another app", [][]placed{{{other, small, true}, {bank, big, true}}}, []image.Rectangle{big}},
		{"another app above keeps its pixels", [][]placed{{{bank, big, true}, {other, small, true}}}, []image.Rectangle{
			image.Rect(0, 0, 100, 20), image.Rect(0, 60, 100, 100), image.Rect(0, 20, 20, 60), image.Rect(60, 20, 100, 60)}},
		{"a translucent or shaped window above hides nothing", [][]placed{{{bank, big, true}, {other, small, false}}}, []image.Rectangle{big}},
		{"an excluded window above hides nothing", [][]placed{{{bank, big, true}, {byClass, small, true}}}, []image.Rectangle{big, small}},
		{"a window covering it all", [][]placed{{{bank, small, true}, {other, big, true}}}, nil},
		{"covered before, bare after: hidden", [][]placed{
			{{bank, small, true}, {other, big, true}},
			{{other, big, true}, {bank, small, true}},
		}, []image.Rectangle{small}},
	} {
		got := hiddenAreas(c.stacks, []string{"BankApp.exe", "keepassxc"})
		if !slices.Equal(got, c.want) {
			t.Errorf("%s: hiddenAreas = %v, want %v", c.name, got, c.want)
		}
	}
}

func TestBlankPaintsOnlyTheMonitorsPart(t *testing.T) {
	// The second of two 100×100 monitors side by side; the hidden window
	// straddles both.
	img := image.NewRGBA(image.Rect(0, 0, 100, 100))
	fill(img, img.Rect, green)
	if !blank(img, image.Pt(100, 0), []image.Rectangle{image.Rect(80, 10, 130, 40)}) {
		t.Fatal("blank painted nothing")
	}
	for _, c := range []struct {
		p    image.Point
		want bool
	}{{image.Pt(0, 10), true}, {image.Pt(29, 39), true}, {image.Pt(30, 10), false}, {image.Pt(0, 40), false}, {image.Pt(0, 9), false}} {
		if got := img.RGBAAt(c.p.X, c.p.Y) == redactBackground; got != c.want {
			t.Errorf("pixel %v blanked = %v, want %v", c.p, got, c.want)
		}
	}
	if blank(img, image.Point{}, []image.Rectangle{image.Rect(200, 0, 300, 100)}) {
		t.Error("blank painted a window on another monitor")
	}
}
