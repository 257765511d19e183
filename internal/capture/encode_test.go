package capture

import (
	"bytes"
	"image"
	"image/color"
	"testing"
)

func TestEncodeSizes(t *testing.T) {
	tests := []struct {
		w, h         int
		wantW, wantH int
	}{
		{1920, 1080, 1920, 1080},
		{3840, 2160, 1920, 1080},
		{2560, 1440, 1920, 1080},
		{1280, 800, 1280, 800},
		{5120, 1440, 1920, 540},
	}
	for _, tt := range tests {
		s, err := Encode(desktop(tt.w, tt.h), Policy{})
		if err != nil {
			t.Fatalf("%dx%d: %v", tt.w, tt.h, err)
		}
		full := decodeJPEG(t, s.Full)
		if got := full.Bounds().Size(); got != image.Pt(tt.wantW, tt.wantH) || s.Width != tt.wantW || s.Height != tt.wantH {
			t.Errorf("%dx%d: full is %v (Shot says %dx%d), want %dx%d", tt.w, tt.h, got, s.Width, s.Height, tt.wantW, tt.wantH)
		}
		thumb := decodeJPEG(t, s.Thumb)
		wantTH := (tt.wantH*DefaultThumbWidth + tt.wantW/2) / tt.wantW
		if got := thumb.Bounds().Size(); got != image.Pt(DefaultThumbWidth, wantTH) || s.ThumbWidth != got.X || s.ThumbHeight != got.Y {
			t.Errorf("%dx%d: thumb is %v (Shot says %dx%d), want %dx%d", tt.w, tt.h, got, s.ThumbWidth, s.ThumbHeight, DefaultThumbWidth, wantTH)
		}
		if s.Bytes() > DefaultMaxBytes {
			t.Errorf("%dx%d: full is %d bytes at quality %d, want ≤ %d", tt.w, tt.h, s.Bytes(), s.Quality, DefaultMaxBytes)
		}
		if s.Quality != firstQuality || s.Blurred || s.Redacted {
			t.Errorf("%dx%d: quality %d blurred %v redacted %v", tt.w, tt.h, s.Quality, s.Blurred, s.Redacted)
		}
		t.Logf("%dx%d → %dx%d: %d bytes at q%d, thumb %d bytes", tt.w, tt.h, s.Width, s.Height, s.Bytes(), s.Quality, len(s.Thumb))
	}
}

func TestEncodeBudgetStepsDown(t *testing.T) {
	img := desktop(1920, 1080)
	loose, err := Encode(img, Policy{MaxBytes: 10 << 20})
	if err != nil {
		t.Fatal(err)
	}
	budget := loose.Bytes() * 3 / 4
	tight, err := Encode(img, Policy{MaxBytes: budget})
	if err != nil {
		t.Fatal(err)
	}
	if loose.Quality != firstQuality || tight.Quality >= loose.Quality || tight.Bytes() > budget {
		t.Errorf("loose q%d %dB, tight q%d %dB: want a lower quality within %dB", loose.Quality, loose.Bytes(), tight.Quality, tight.Bytes(), budget)
	}
}

func TestEncodeBlurHidesText(t *testing.T) {
	img := desktop(1920, 1080)
	sharp, err := Encode(img, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	blurred, err := Encode(img, Policy{Blur: true})
	if err != nil {
		t.Fatal(err)
	}
	if !blurred.Blurred {
		t.Error("Blurred = false, want true")
	}
	checkBlurred(t, decodeJPEG(t, sharp.Full), decodeJPEG(t, blurred.Full))
	if bytes.Equal(sharp.Thumb, blurred.Thumb) {
		t.Error("the thumbnail was not blurred")
	}
}

func TestBlurStoredShot(t *testing.T) {
	sharp, err := Encode(desktop(1920, 1080), Policy{})
	if err != nil {
		t.Fatal(err)
	}
	b, err := Blur(sharp.Full)
	if err != nil {
		t.Fatal(err)
	}
	if b.Width != 1920 || b.Height != 1080 || !b.Blurred || b.ThumbWidth != DefaultThumbWidth {
		t.Errorf("got %dx%d blurred=%v thumb %d, want 1920x1080 blurred thumb %d", b.Width, b.Height, b.Blurred, b.ThumbWidth, DefaultThumbWidth)
	}
	checkBlurred(t, decodeJPEG(t, sharp.Full), decodeJPEG(t, b.Full))
	for _, bad := range [][]byte{nil, []byte("not a jpeg"), sharp.Full[:len(sharp.Full)/2]} {
		if _, err := Blur(bad); err == nil {
			t.Errorf("Blur(%d bytes of junk) = nil error, want one", len(bad))
		}
	}
}

// checkBlurred is the blur criterion: less than 10% of the sharp image's
// Laplacian energy is left, and the pictures really differ.
func checkBlurred(t *testing.T, sharp, blurred image.Image) {
	t.Helper()
	s, b := sharpness(sharp), sharpness(blurred)
	if b >= s/10 {
		t.Errorf("sharpness %.2f after blur, %.2f before: want < 10%%", b, s)
	}
	if d := meanAbsDiff(t, sharp, blurred); d < 2 {
		t.Errorf("blurred image differs from the sharp one by %.2f per channel, want ≥ 2", d)
	}
	t.Logf("sharpness %.2f → %.2f (%.1f%%)", s, b, 100*b/s)
}

func TestShrinkAveragesBoxes(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 4, 2))
	vals := []uint8{0, 100, 10, 30, 200, 50, 20, 40} // row-major grey levels
	for i, v := range vals {
		src.SetRGBA(i%4, i/4, color.RGBA{v, v, v, 0})
	}
	got := shrink(src, 2, 1)
	want := []uint8{(0 + 100 + 200 + 50 + 2) / 4, (10 + 30 + 20 + 40 + 2) / 4}
	for x, w := range want {
		if c := got.RGBAAt(x, 0); c != (color.RGBA{w, w, w, 255}) {
			t.Errorf("pixel %d = %v, want grey %d opaque", x, c, w)
		}
	}
}

func TestEnlargeInterpolates(t *testing.T) {
	src := image.NewRGBA(image.Rect(0, 0, 2, 1))
	src.SetRGBA(0, 0, color.RGBA{0, 100, 200, 255})
	src.SetRGBA(1, 0, color.RGBA{200, 100, 0, 255})
	got := enlarge(src, 8, 3)
	prev := -1
	for x := 0; x < 8; x++ {
		c := got.RGBAAt(x, 1)
		if c.G != 100 || c.A != 255 || int(c.R) < prev || int(c.R)+int(c.B) < 198 || int(c.R)+int(c.B) > 202 {
			t.Errorf("pixel %d = %v: want a monotonic blend of the two colours", x, c)
		}
		prev = int(c.R)
		if got.RGBAAt(x, 0) != c || got.RGBAAt(x, 2) != c {
			t.Errorf("column %d is not constant down a one-row source", x)
		}
	}
	if got.RGBAAt(0, 0).R != 0 || got.RGBAAt(7, 0).R != 200 {
		t.Errorf("edges %v %v, want the source colours", got.RGBAAt(0, 0), got.RGBAAt(7, 0))
	}
}

// X11 captures carry alpha 0; the encoded picture must not turn black.
func TestEncodeIgnoresAlpha(t *testing.T) {
	img := image.NewRGBA(image.Rect(0, 0, 64, 32))
	for i := 0; i < len(img.Pix); i += 4 {
		img.Pix[i], img.Pix[i+1], img.Pix[i+2], img.Pix[i+3] = 200, 150, 100, 0
	}
	for _, p := range []Policy{{}, {Blur: true}, {MaxWidth: 32}} {
		s, err := Encode(img, p)
		if err != nil {
			t.Fatal(err)
		}
		for name, b := range map[string][]byte{"full": s.Full, "thumb": s.Thumb} {
			r, g, bl, _ := decodeJPEG(t, b).At(5, 5).RGBA()
			if d := int(r>>8) - 200 + int(g>>8) - 150 + int(bl>>8) - 100; d < -12 || d > 12 {
				t.Errorf("policy %+v %s: pixel = %d,%d,%d, want about 200,150,100", p, name, r>>8, g>>8, bl>>8)
			}
		}
	}
}

func TestRedactedPlaceholder(t *testing.T) {
	img := Redacted(1280, 800, "xterm")
	if got := img.Bounds().Size(); got != image.Pt(1280, 800) {
		t.Fatalf("size %v, want 1280x800", got)
	}
	// Drawn from nothing but two colours: background and text.
	var text int
	rgba := opaqueRGBA(img)
	for y := 0; y < 800; y++ {
		for x := 0; x < 1280; x++ {
			switch rgba.RGBAAt(x, y) {
			case redactBackground:
			case redactText:
				text++
			default:
				t.Fatalf("pixel (%d,%d) = %v: want only background and text colours", x, y, rgba.RGBAAt(x, y))
			}
		}
	}
	if text < 1000 {
		t.Errorf("%d text pixels, want a readable message", text)
	}
	if d := meanAbsDiff(t, img, Redacted(1280, 800, "firefox")); d == 0 {
		t.Error("placeholder does not name the app")
	}
	for _, sz := range []image.Point{{1, 1}, {100, 40}, {3840, 2160}} {
		if got := Redacted(sz.X, sz.Y, "\x00weird\nname").Bounds().Size(); got != sz {
			t.Errorf("Redacted(%v) is %v", sz, got)
		}
	}
}

func TestExcluded(t *testing.T) {
	list := []string{"KeePassXC", " signal-desktop ", "WhatsApp.exe"}
	tests := []struct {
		process string
		want    bool
	}{
		{"keepassxc", true},
		{"KEEPASSXC", true},
		{"signal-desktop", true},
		{"whatsapp", true},
		{"WhatsApp.exe", true},
		{"keepass", false},
		{"xterm", false},
		{"", false},
	}
	for _, tt := range tests {
		if got := Excluded(Window{Process: tt.process, Title: "KeePassXC"}, list); got != tt.want {
			t.Errorf("Excluded(%q) = %v, want %v", tt.process, got, tt.want)
		}
	}
	if Excluded(Window{Process: "xterm"}, nil) {
		t.Error("empty list excludes xterm")
	}
}

func TestEncodeEmptyImage(t *testing.T) {
	if _, err := Encode(image.NewRGBA(image.Rectangle{}), Policy{}); err == nil {
		t.Error("Encode(empty) = nil error, want one")
	}
}

func FuzzBlur(f *testing.F) {
	s, err := Encode(desktop(64, 48), Policy{})
	if err != nil {
		f.Fatal(err)
	}
	f.Add(s.Full)
	f.Add([]byte{0xff, 0xd8, 0xff})
	f.Fuzz(func(t *testing.T, b []byte) {
		shot, err := Blur(b)
		if err == nil && (len(shot.Full) == 0 || len(shot.Thumb) == 0) {
			t.Fatal("Blur succeeded with empty output")
		}
	})
}

// GDI hands over blue, green, red and an undefined fourth byte.
func TestBGRXToRGBA(t *testing.T) {
	p := []byte{1, 2, 3, 0, 10, 20, 30, 99}
	bgrxToRGBA(p)
	if want := []byte{3, 2, 1, 0xff, 30, 20, 10, 0xff}; !bytes.Equal(p, want) {
		t.Errorf("bgrxToRGBA = %v, want %v", p, want)
	}
}
