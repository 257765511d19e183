package capture

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"image"
	_ "image/png" // the portals hand out PNG files
	"net/url"
	"os"
	"path/filepath"

	"github.com/godbus/dbus/v5"
)

// ErrPortal means the desktop portal did not give a screenshot: there is
// none, or it (or the person) refused.
var ErrPortal = errors.New("the desktop's screenshot portal gave no screenshot")

const (
	portalName   = "org.freedesktop.portal.Desktop"
	portalPath   = "/org/freedesktop/portal/desktop"
	portalShot   = "org.freedesktop.portal.Screenshot"
	portalReqIfc = "org.freedesktop.portal.Request"
)

// Portal takes screenshots on a Wayland desktop through the desktop portal
// (org.freedesktop.portal.Screenshot, over the session bus), without
// asking each time where the portal allows that, then encodes, blurs and
// redacts them as on X11. Open lists the windows the desktop shows (the
// compositor's window list) and Front the one in front; where Open is nil,
// or returns nil (the desktop did not answer), nobody can tell where an
// excluded app is, so with anything excluded every screenshot is a
// placeholder.
type Portal struct {
	Front func() (Window, bool)
	Open  func() []Window
}

// PortalOffered reports whether the session bus has a screenshot portal.
func PortalOffered() bool {
	conn, err := sessionBus()
	if err != nil {
		return false
	}
	defer conn.Close()
	_, err = conn.Object(portalName, portalPath).GetProperty(portalShot + ".version")
	return err == nil
}

// sessionBus connects to the session bus in DBUS_SESSION_BUS_ADDRESS or
// at XDG_RUNTIME_DIR/bus, and nowhere else: no bus is ever started here
// (D-Bus's autolaunch would start one, and an X program with it).
func sessionBus() (*dbus.Conn, error) {
	addr := os.Getenv("DBUS_SESSION_BUS_ADDRESS")
	if addr == "" {
		path := filepath.Join(os.Getenv("XDG_RUNTIME_DIR"), "bus")
		if _, err := os.Stat(path); os.Getenv("XDG_RUNTIME_DIR") == "" || err != nil {
			return nil, errors.New("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
		}
		addr = "unix:path=" + path
	}
	conn, err := dbus.Dial(addr)
	if err != nil {
		return nil, err
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil, err
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil, err
	}
	return conn, nil
}

// Shoot takes one screenshot of the whole desktop (the portal returns all
// monitors as one image).
func (p Portal) Shoot(ctx context.Context, pol Policy) ([]Shot, Window, error) {
	before := p.front()
	win := Screened(before, pol.Exclude)
	img, err := portalScreenshot(ctx)
	if err != nil {
		return nil, win, err
	}
	name, excluded := p.excluded(before, pol.Exclude)
	ep := pol
	if excluded {
		b := img.Bounds()
		img, ep.Blur = Redacted(b.Dx(), b.Dy(), name), false
	}
	s, err := Encode(img, ep)
	if err != nil {
		return nil, win, fmt.Errorf("encode screenshot: %w", err)
	}
	s.Redacted = excluded
	return []Shot{s}, win, nil
}

func (p Portal) front() Window {
	if p.Front == nil {
		return Window{}
	}
	w, _ := p.Front()
	return w
}

// excluded says whether an excluded app may show in the screenshot: in
// front before or after it, open anywhere (the window list has no
// positions to paint over), or anything excluded where nothing can tell.
func (p Portal) excluded(before Window, list []string) (string, bool) {
	if len(list) == 0 {
		return "", false
	}
	var open []Window
	if p.Open != nil {
		open = p.Open()
	}
	if open == nil {
		return "an excluded app", true
	}
	for _, w := range append([]Window{before, p.front()}, open...) {
		if name, ok := excludedAs(w, list); ok {
			return name, true
		}
	}
	return "", false
}

// portalScreenshot asks the portal for a screenshot and reads the file it
// names, then removes it: a screenshot Workdiary took is not left in the
// person's pictures or in /tmp.
func portalScreenshot(ctx context.Context) (image.Image, error) {
	conn, err := sessionBus()
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPortal, err)
	}
	defer conn.Close()
	if err := conn.AddMatchSignal(dbus.WithMatchInterface(portalReqIfc), dbus.WithMatchMember("Response")); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPortal, err)
	}
	responses := make(chan *dbus.Signal, 4)
	conn.Signal(responses)
	token := make([]byte, 8)
	rand.Read(token)
	opts := map[string]dbus.Variant{"handle_token": dbus.MakeVariant("workdiary" + hex.EncodeToString(token)),
		"interactive": dbus.MakeVariant(false)}
	var handle dbus.ObjectPath
	call := conn.Object(portalName, portalPath).CallWithContext(ctx, portalShot+".Screenshot", 0, "", opts)
	if err := call.Store(&handle); err != nil {
		return nil, fmt.Errorf("%w: %v. Allow screenshots for Workdiary in the desktop's privacy settings, or log in to an X11 session", ErrPortal, err)
	}
	for {
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case s := <-responses:
			if s.Path != handle || len(s.Body) < 2 {
				continue
			}
			return readResponse(s.Body)
		}
	}
}

// readResponse reads the Request's Response: 0 and the screenshot's URI,
// 1 cancelled (the person said no), 2 anything else.
func readResponse(body []any) (image.Image, error) {
	code, _ := body[0].(uint32)
	results, _ := body[1].(map[string]dbus.Variant)
	if code != 0 {
		return nil, fmt.Errorf("%w: the portal refused (response %d). Allow screenshots for Workdiary in the desktop's privacy settings, or log in to an X11 session", ErrPortal, code)
	}
	uri, _ := results["uri"].Value().(string)
	u, err := url.Parse(uri)
	if err != nil || u.Scheme != "file" {
		return nil, fmt.Errorf("%w: the portal named %q, not a file", ErrPortal, uri)
	}
	f, err := os.Open(u.Path)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrPortal, err)
	}
	img, _, err := image.Decode(f)
	f.Close()
	os.Remove(u.Path)
	if err != nil {
		return nil, fmt.Errorf("%w: the screenshot file: %v", ErrPortal, err)
	}
	return img, nil
}
