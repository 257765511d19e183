package capture

import (
	"context"
	"errors"
	"fmt"
	"image"
	"sync"
)

// Sentinel errors, compared with errors.Is. Their text is what a user sees.
var (
	// ErrNoDisplay means there is no X display to capture; calling robotgo
	// anyway would crash the process, so nothing is attempted.
	ErrNoDisplay = errors.New("no X display: set DISPLAY or run under Xvfb")
	// ErrUnsupported means this build or platform cannot capture.
	ErrUnsupported = errors.New("capture is not supported on this platform or build: it needs Linux with X11 and cgo, Windows or macOS")
	// ErrNoActiveWindow means no window has the focus (or no window
	// manager runs that says which one does).
	ErrNoActiveWindow = errors.New("no active window: nothing has the focus or no window manager is running")
	// ErrNoCamera means there is no usable video capture device.
	ErrNoCamera = errors.New("no camera found: tracking continues without webcam photos")
	// ErrCameraFormat means a camera exists but delivers neither MJPEG nor
	// YUYV frames.
	ErrCameraFormat = errors.New("camera delivers neither MJPEG nor YUYV frames: tracking continues without webcam photos")
)

// Screen is one monitor in the X screen's coordinate space.
type Screen struct {
	Index  int
	Bounds image.Rectangle
}

// Window is a top-level window at one moment: the focused one, or one of
// those on screen.
type Window struct {
	Process  string // executable name, e.g. "xterm"; empty if the window names no PID
	Title    string
	PID      int
	Instance string // WM_CLASS instance name, e.g. "xterm" (or what -name set)
	Class    string // WM_CLASS class name, e.g. "XTerm"
}

// robotgo and Xlib keep global state and are not thread-safe: every call
// into the platform layer holds this lock.
var platformMu sync.Mutex

// Screens lists the monitors of the current display.
func Screens() ([]Screen, error) {
	platformMu.Lock()
	defer platformMu.Unlock()
	return screens()
}

// Ready reports whether screenshots can be taken now, before a session
// that needs them starts: on macOS, whether the Screen Recording
// permission is given (ErrScreenRecording; the first refusal also makes
// macOS ask the person). Elsewhere nothing needs allowing, and a missing
// display shows at the first shot.
func Ready() error {
	platformMu.Lock()
	defer platformMu.Unlock()
	return ready()
}

// CaptureAll takes a screenshot of every monitor, in Screens order. The
// images are opaque RGBA with bounds starting at (0,0).
func CaptureAll(ctx context.Context) ([]image.Image, error) {
	_, imgs, err := captureAll(ctx)
	return imgs, err
}

// captureAll is CaptureAll with the monitors the images are of.
func captureAll(ctx context.Context) ([]Screen, []image.Image, error) {
	platformMu.Lock()
	defer platformMu.Unlock()
	ss, err := screens()
	if err != nil {
		return nil, nil, err
	}
	imgs := make([]image.Image, 0, len(ss))
	for _, s := range ss {
		if err := ctx.Err(); err != nil {
			return nil, nil, err
		}
		img, err := captureRect(s.Bounds)
		if err != nil {
			return nil, nil, fmt.Errorf("capture monitor %d %v: %w", s.Index, s.Bounds, err)
		}
		imgs = append(imgs, img)
	}
	return ss, imgs, nil
}

// ActiveWindow reports the focused window's process and title.
func ActiveWindow() (Window, error) {
	platformMu.Lock()
	defer platformMu.Unlock()
	return activeWindow()
}

// Capturer takes the screenshots of one moment: every monitor, the focused
// window, exclusion and blur applied, encoded. It does not store anything.
type Capturer struct{}

// New returns a Capturer for the current display.
func New() *Capturer { return &Capturer{} }

// Shoot captures every monitor and samples the focused window. When the
// focused app is on p.Exclude, every monitor's shot is replaced by a
// placeholder (no pixel of the screen is encoded). Otherwise the windows of
// excluded apps that are on screen without the focus are blanked out, and
// each monitor is encoded by Encode under p, blurred first when p.Blur is
// set. Nothing leaves Shoot before that is done.
//
// The window and the windows on screen are sampled before and after the
// capture, and both count: a switch to an excluded app, or an excluded
// window that moves or rises during the capture, must not leak it. The
// window returned is the one before, Screened: an excluded app's title
// never leaves capture.
//
// Having no focused window is not an error: the shots are taken and the
// returned Window is empty.
func (c *Capturer) Shoot(ctx context.Context, p Policy) ([]Shot, Window, error) {
	before, err := look(p.Exclude)
	if err != nil {
		return nil, Window{}, err
	}
	win := Screened(before.focus, p.Exclude)
	ss, imgs, err := captureAll(ctx)
	if err != nil {
		return nil, win, err
	}
	after, err := look(p.Exclude)
	if err != nil {
		return nil, win, err
	}
	excludedApp, excluded := excludedAs(before.focus, p.Exclude)
	if !excluded {
		excludedApp, excluded = excludedAs(after.focus, p.Exclude)
	}
	hidden := hiddenAreas([][]placed{before.onScreen, after.onScreen}, p.Exclude)
	shots := make([]Shot, 0, len(imgs))
	for i, img := range imgs {
		ep := p
		if excluded {
			// Drop the pixels before anything else touches them; the
			// placeholder stays sharp so its message can be read.
			b := img.Bounds()
			img = Redacted(b.Dx(), b.Dy(), excludedApp)
			ep.Blur = false
		} else if len(hidden) > 0 {
			m := asRGBA(img) // the capture is Shoot's own: paint it in place
			blank(m, ss[i].Bounds.Min, hidden)
			img = m
		}
		s, err := Encode(img, ep)
		if err != nil {
			return nil, win, fmt.Errorf("encode monitor %d: %w", i, err)
		}
		s.Monitor = i
		s.Redacted = excluded
		shots = append(shots, s)
	}
	return shots, win, nil
}

// glance is what the desktop shows at one moment.
type glance struct {
	focus    Window
	onScreen []placed // bottom to top; listed only when something is excluded
}

// look samples the focused window and, when anything is excluded, the
// windows on screen.
func look(exclude []string) (glance, error) {
	w, err := focused()
	if err != nil || len(exclude) == 0 {
		return glance{focus: w}, err
	}
	platformMu.Lock()
	defer platformMu.Unlock()
	on, err := visibleWindows()
	if err != nil {
		return glance{}, fmt.Errorf("list the windows on screen: %w", err)
	}
	return glance{focus: w, onScreen: on}, nil
}

// focused is ActiveWindow with "nothing focused" as an empty Window.
func focused() (Window, error) {
	w, err := ActiveWindow()
	if errors.Is(err, ErrNoActiveWindow) {
		return Window{}, nil
	}
	return w, err
}
