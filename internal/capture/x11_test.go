//go:build linux && cgo

package capture

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"image"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/displaytest"
)

const xtermTitle = "wd-capture-test"

// startXterm opens an xterm full of text on the test display, waits until
// the window manager has focused it and its text is on screen, and returns
// its PID and a sharp capture of the screen.
func startXterm(t *testing.T) (int, image.Image) {
	t.Helper()
	displaytest.Display(t)
	script := `i=0; while [ $i -lt 80 ]; do echo "line $i: the quick brown fox jumps over the lazy dog 0123456789 ABCDEFGHIJKLMNOPQRSTUVWXYZ abcdefghijklmnopqrstuvwxyz ~!@#$%^&*()"; i=$((i+1)); done; sleep 60`
	// Found by PID: a window of the same title from the test before may
	// still be closing, and activating that one fails with BadWindow.
	win, pid := displaytest.Open(t, nil, nil, "xterm", "-T", xtermTitle, "-geometry", "210x60+0+0", "-e", "sh", "-c", script)
	focus(t, win)
	// Generous: on a loaded CI machine the text can take many seconds.
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	// The text arrives after the window maps; wait until the screen shows it.
	for {
		imgs, err := CaptureAll(ctx)
		if err != nil {
			t.Fatalf("CaptureAll: %v", err)
		}
		if sharpness(imgs[0]) > 5 {
			return pid, imgs[0]
		}
		select {
		case <-ctx.Done():
			t.Fatalf("xterm text never appeared on screen (sharpness %.2f)", sharpness(imgs[0]))
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func TestScreensAndCaptureAll(t *testing.T) {
	startXterm(t)
	ss, err := Screens()
	if err != nil {
		t.Fatal(err)
	}
	if len(ss) != 1 || ss[0].Bounds != image.Rect(0, 0, 1280, 800) {
		t.Fatalf("Screens() = %v, want one 1280x800 monitor at the origin", ss)
	}
	imgs, err := CaptureAll(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(imgs) != 1 || imgs[0].Bounds() != image.Rect(0, 0, 1280, 800) {
		t.Fatalf("CaptureAll gave %d images, first %v; want one 1280x800", len(imgs), imgs[0].Bounds())
	}
	if a := imgs[0].(*image.RGBA).Pix[3]; a != 0xff {
		t.Errorf("alpha = %d, want opaque", a)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := CaptureAll(ctx); !errors.Is(err, context.Canceled) {
		t.Errorf("CaptureAll(cancelled) = %v, want context.Canceled", err)
	}
}

func TestActiveWindowIsXterm(t *testing.T) {
	pid, _ := startXterm(t)
	w, err := ActiveWindow()
	if err != nil {
		t.Fatal(err)
	}
	if w.Process != "xterm" || w.Title != xtermTitle || w.PID != pid {
		t.Errorf("ActiveWindow() = %+v, want {xterm %s %d}", w, xtermTitle, pid)
	}
}

func TestEncodeRealCapture(t *testing.T) {
	_, sharpImg := startXterm(t)
	sharp, err := Encode(sharpImg, Policy{})
	if err != nil {
		t.Fatal(err)
	}
	full := decodeJPEG(t, sharp.Full)
	if full.Bounds().Dx() != 1280 || full.Bounds().Dx() > DefaultMaxWidth {
		t.Errorf("full is %v, want 1280 wide", full.Bounds())
	}
	if th := decodeJPEG(t, sharp.Thumb); th.Bounds().Dx() != DefaultThumbWidth {
		t.Errorf("thumb is %v, want %d wide", th.Bounds(), DefaultThumbWidth)
	}
	blurred, err := Encode(sharpImg, Policy{Blur: true})
	if err != nil {
		t.Fatal(err)
	}
	checkBlurred(t, full, decodeJPEG(t, blurred.Full))
	t.Logf("xterm screen: %d bytes at q%d (blurred %d bytes)", sharp.Bytes(), sharp.Quality, blurred.Bytes())
}

func TestShootRedactsExcludedApp(t *testing.T) {
	_, sharpImg := startXterm(t)
	c := New()
	shots, w, err := c.Shoot(context.Background(), Policy{Exclude: []string{"XTerm"}, Blur: true})
	if err != nil {
		t.Fatal(err)
	}
	if w.Process != "xterm" || w.Title != ExcludedTitle || len(shots) != 1 {
		t.Fatalf("Shoot gave window %+v and %d shots, want xterm titled %q and 1", w, len(shots), ExcludedTitle)
	}
	s := shots[0]
	if !s.Redacted || s.Blurred {
		t.Errorf("redacted=%v blurred=%v, want redacted and not blurred", s.Redacted, s.Blurred)
	}
	// The stored image is exactly the placeholder: no screen pixel in it.
	want, err := Encode(Redacted(1280, 800, "xterm"), Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(s.Full, want.Full) || !bytes.Equal(s.Thumb, want.Thumb) {
		t.Error("redacted shot is not the placeholder image")
	}
	if d := meanAbsDiff(t, sharpImg, decodeJPEG(t, s.Full)); d < 20 {
		t.Errorf("redacted shot differs from the screen by only %.1f per channel", d)
	}
}

func TestShootBlursWhenRequired(t *testing.T) {
	_, sharpImg := startXterm(t)
	shots, w, err := New().Shoot(context.Background(), Policy{Blur: true, Exclude: []string{"firefox"}})
	if err != nil {
		t.Fatal(err)
	}
	if w.Title != xtermTitle || len(shots) != 1 || shots[0].Redacted || !shots[0].Blurred || shots[0].Monitor != 0 {
		t.Fatalf("Shoot = %d shots %+v, window %+v", len(shots), shots, w)
	}
	checkBlurred(t, sharpImg, decodeJPEG(t, shots[0].Full))
}

func TestNoDisplayIsAnErrorNotACrash(t *testing.T) {
	displaytest.Display(t)
	for _, d := range []string{"", ":4242"} {
		t.Setenv("DISPLAY", d)
		if d == "" {
			os.Unsetenv("DISPLAY")
		}
		if _, err := Screens(); !errors.Is(err, ErrNoDisplay) {
			t.Errorf("DISPLAY=%q: Screens() = %v, want ErrNoDisplay", d, err)
		}
		if _, err := CaptureAll(context.Background()); !errors.Is(err, ErrNoDisplay) {
			t.Errorf("DISPLAY=%q: CaptureAll() = %v, want ErrNoDisplay", d, err)
		}
		if _, err := ActiveWindow(); !errors.Is(err, ErrNoDisplay) {
			t.Errorf("DISPLAY=%q: ActiveWindow() = %v, want ErrNoDisplay", d, err)
		}
		_, _, err := New().Shoot(context.Background(), Policy{})
		if !errors.Is(err, ErrNoDisplay) {
			t.Errorf("DISPLAY=%q: Shoot() = %v, want ErrNoDisplay", d, err)
		}
	}
}

// bareXvfb starts an X server with no window manager and points DISPLAY at
// it for the rest of the test. -noreset: with no other client, every
// disconnect would otherwise reset the server under the next connection.
func bareXvfb(t *testing.T) {
	t.Helper()
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	cmd := exec.Command("Xvfb", "-displayfd", "3", "-screen", "0", "640x480x24", "-nolisten", "tcp", "-noreset")
	cmd.ExtraFiles = []*os.File{w}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start Xvfb: %v", err)
	}
	w.Close()
	t.Cleanup(func() { _ = cmd.Process.Kill(); _ = cmd.Wait() })
	_ = r.SetReadDeadline(time.Now().Add(15 * time.Second))
	line, err := bufio.NewReader(r).ReadString('\n')
	if err != nil || strings.TrimSpace(line) == "" {
		t.Fatalf("Xvfb did not report its display: %q, %v", line, err)
	}
	t.Setenv("DISPLAY", ":"+strings.TrimSpace(line))
}

func TestNoWindowManagerMeansNoActiveWindow(t *testing.T) {
	bareXvfb(t)
	if w, err := ActiveWindow(); !errors.Is(err, ErrNoActiveWindow) {
		t.Errorf("ActiveWindow() = %+v, %v; want ErrNoActiveWindow", w, err)
	}
	// Shots are still taken; the window is simply unknown.
	shots, w, err := New().Shoot(context.Background(), Policy{Exclude: []string{"xterm"}})
	if err != nil {
		t.Fatal(err)
	}
	if w != (Window{}) || len(shots) != 1 || shots[0].Width != 640 || shots[0].Redacted {
		t.Errorf("Shoot = window %+v, %d shots (%+v), want empty window and one 640-wide unredacted shot", w, len(shots), shots)
	}
}
