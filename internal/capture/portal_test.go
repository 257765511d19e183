//go:build linux

package capture_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/wayland/waylandtest"
)

// TestPortalScreenshots: on sway with the wlroots portal backend, the
// screenshot portal gives the desktop without asking, encoded as on X11;
// with an excluded app open anywhere the shot is a placeholder; the file
// the portal wrote is gone afterwards.
func TestPortalScreenshots(t *testing.T) {
	sway := waylandtest.Sway(t)
	sway.Portal(t, true)
	sway.Start(t, "weston-flower")
	if !capture.PortalOffered() {
		t.Fatal("no screenshot portal on the test's session bus")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cam := capture.Portal{}
	shots, _, err := cam.Shoot(ctx, capture.Policy{})
	if err != nil {
		t.Fatal(err)
	}
	if len(shots) != 1 || shots[0].Width != 1280 || shots[0].Height != 800 || shots[0].Redacted || len(shots[0].Full) == 0 {
		t.Fatalf("shots %+v; want one 1280×800 screenshot", shotSizes(shots))
	}
	flower := capture.Window{Process: "org.freedesktop.weston.flower", Instance: "flower"}
	cam = capture.Portal{Open: func() []capture.Window { return []capture.Window{flower} }}
	shots, _, err = cam.Shoot(ctx, capture.Policy{Exclude: []string{"flower"}, Blur: true})
	if err != nil {
		t.Fatal(err)
	}
	if len(shots) != 1 || !shots[0].Redacted || shots[0].Blurred {
		t.Fatalf("with an excluded app open: %+v; want a sharp placeholder", shotSizes(shots))
	}
}

// TestPortalRefused: a portal that gives no screenshot gives a clear
// error that says what to do.
func TestPortalRefused(t *testing.T) {
	sway := waylandtest.Sway(t)
	sway.Portal(t, false)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	_, _, err := capture.Portal{}.Shoot(ctx, capture.Policy{})
	if !errors.Is(err, capture.ErrPortal) || !strings.Contains(err.Error(), "log in to an X11 session") {
		t.Fatalf("Shoot = %v; want ErrPortal saying what to do", err)
	}
}

func shotSizes(shots []capture.Shot) []string {
	var out []string
	for _, s := range shots {
		out = append(out, fmt.Sprintf("%d×%d redacted=%v blurred=%v", s.Width, s.Height, s.Redacted, s.Blurred))
	}
	return out
}
