package node

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/capture"
	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/input"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/session"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/tracker"
)

// ErrAlreadyTracking: one tracker per data folder.
var ErrAlreadyTracking = errors.New("tracking is already running in this data folder")

// errClosing: the node is closing and starts nothing new.
var errClosing = errors.New("the data folder is closing")

// EnvInputHelper overrides where the input-counting helper is found
// (default: beside the running program).
const EnvInputHelper = "WORKDIARY_INPUT"

// TrackParams start a tracking session.
type TrackParams struct {
	Contract string `json:"contract"`
	Memo     string `json:"memo"`
	// KeepIdle answers the idle question when nobody is asked (the CLI's
	// --idle keep|discard); a GUI passes its own IdleDecider instead.
	KeepIdle bool `json:"keep_idle"`
	// Webcam is the contractor's opt-in to webcam photos, which only
	// counts where the contract allows them.
	Webcam bool `json:"webcam,omitempty"`
	// For ends the session after this long on its clock (0: until stopped).
	For time.Duration `json:"for,omitempty"`
	// ClockSpeed runs the session's clock that many times faster, from For
	// in the past, so that it reaches the present as the session ends
	// (demos and tests; needs For). 0 or 1: the node's clock.
	ClockSpeed float64 `json:"clock_speed,omitempty"`
}

// Session is a running tracker.
type Session struct {
	Contract contract.ListItem
	Memo     string
	Started  time.Time
	Ends     time.Time // when p.For ends it, on its clock; zero: when stopped
	events   eventLog
	done     chan struct{}
	err      error
	cancel   context.CancelFunc
	clock    clock.Clock
}

// Wait blocks until the session ends and returns why it ended (nil when
// it was stopped).
func (s *Session) Wait() error {
	<-s.done
	return s.err
}

// Stop ends the session and waits for it.
func (s *Session) Stop() error {
	s.cancel()
	return s.Wait()
}

type trackingState struct {
	mu      sync.Mutex
	session *Session // the running session, or the last one
	// observer hears the sessions other processes start (see OnTracking).
	observer func(tracker.Event)
}

// StartTracking begins recording the contract with the clock clk (nil:
// the node's own, or the fast one p.ClockSpeed asks for). The session ends
// by itself after p.For. notify receives the tracker's events and the
// session's TrackStarted and TrackStopped; idle decides kept idle time
// (nil: p.KeepIdle). Every caller (the window, a foreground `track`, a
// `track` asking the owner) starts here, so one session runs per folder
// and `track stop` ends it whoever started it.
func (n *Node) StartTracking(ctx context.Context, p TrackParams, clk clock.Clock, notify func(tracker.Event), idle tracker.IdleDecider) (*Session, error) {
	n.tracking.mu.Lock()
	defer n.tracking.mu.Unlock()
	if s := n.tracking.session; s != nil {
		select {
		case <-s.done:
		default:
			return nil, fmt.Errorf("%w: %q (memo %q) since %s, in %s",
				ErrAlreadyTracking, s.Contract.Title, s.Memo, s.Started.Local().Format("15:04"), n.lock.Role())
		}
	}
	c, pol, err := n.trackingPolicy(p)
	if err != nil {
		return nil, err
	}
	if err := canRecord(pol.Screenshots, capture.Supported, thisPlatform); err != nil {
		return nil, err
	}
	if pol.Screenshots > 0 {
		// macOS's Screen Recording permission: without it every shot
		// would fail, so say so now rather than record without them.
		if err := capture.Ready(); err != nil {
			return nil, fmt.Errorf("cannot track here: %w", err)
		}
	}
	// Every minute is a write: say now that none can be made.
	if err := n.store.Writable(); err != nil {
		return nil, fmt.Errorf("cannot track: %w", err)
	}
	if idle == nil {
		idle = tracker.KeepIdle(p.KeepIdle)
	}
	notify = n.logEvents(c.ID().Short(), notify)
	if clk == nil {
		if clk, err = n.sessionClock(p); err != nil {
			return nil, err
		}
	}
	// Set before the input helper starts: at a fast clock speed its start-up
	// would otherwise carry the session past the present.
	s := &Session{Contract: c.ListItem(clk.Now()), Memo: pol.Memo, Started: clk.Now(), done: make(chan struct{}), clock: clk}
	end := s.endAfter(p.For)
	desk := session.Detect()
	wl := openWayland(desk, clk)
	desk.Limits = wl.limits(desk.Limits)
	portal := desk.Kind == session.Wayland && capture.PortalOffered()
	if portal {
		desk.Limits &^= ledger.LimitNoScreenshots
	}
	pol.Limits = c.Offer.Relevant(desk.Limits)
	src, err := startActivity(ctx, clk, desk, wl)
	if err != nil {
		wl.close()
		return nil, err
	}
	t := &tracker.Tracker{Clock: clk, Policy: pol, Activity: src, Windows: windows{}, Diary: diarydb.New(n.store),
		Blobs: n.store.GuardedBlobs(), Idle: idle, Notify: s.events.recorder(notify), Settings: n.trackerSettings}
	switch {
	case wl != nil && wl.windows != nil:
		t.Windows = toplevelWindows{wl.windows}
	case desk.Kind == session.Wayland:
		t.Windows = unseenWindows{}
	}
	switch {
	case pol.Screenshots == 0:
	case portal:
		t.Camera = wl.portalCamera()
	case desk.Limits&ledger.LimitNoScreenshots == 0:
		t.Camera = capture.New()
	}
	if pol.Webcam {
		t.Webcam = webcam{n}
	}
	sctx, cancel := context.WithCancel(ctx)
	s.cancel = cancel
	started := n.goBackground(sctx, func(ctx context.Context) {
		var timer sync.WaitGroup
		timer.Go(func() { s.stopAt(ctx, end) })
		err := store.ExplainDiskError(n.Home, t.Run(ctx))
		cancel()
		timer.Wait()
		src.stop()
		wl.close()
		s.ended(err, notify)
	})
	if !started {
		cancel()
		src.stop()
		return nil, errClosing
	}
	n.tracking.session = s
	if pol.Limits != 0 {
		// Said before anything is recorded: what this session keeps from
		// the tracker, and what to do about it.
		s.events.tell(tracker.Event{Kind: TrackSession, At: s.Started, Message: desk.Summary()}, notify)
	}
	s.events.tell(tracker.Event{Kind: TrackStarted, At: s.Started, Message: s.Memo}, notify)
	return s, nil
}

// Tracking returns the running session, or nil.
func (n *Node) Tracking() *Session {
	n.tracking.mu.Lock()
	defer n.tracking.mu.Unlock()
	if s := n.tracking.session; s != nil {
		select {
		case <-s.done:
			return nil
		default:
			return s
		}
	}
	return nil
}

func (n *Node) trackingPolicy(p TrackParams) (*contract.Contract, tracker.Policy, error) {
	if strings.TrimSpace(p.Memo) == "" {
		return nil, tracker.Policy{}, tracker.ErrNoMemo
	}
	c, err := n.Contracts().Resolve(p.Contract)
	if err != nil {
		return nil, tracker.Policy{}, err
	}
	if c.Role != contract.RoleContractor {
		return nil, tracker.Policy{}, fmt.Errorf("contract %s: you are its employer; only the contractor tracks time", c.ID().Short())
	}
	if c.State != contract.StateActive && c.State != contract.StateAcceptedPending {
		return nil, tracker.Policy{}, fmt.Errorf("contract %s is %s: time can only be tracked on an accepted contract", c.ID().Short(), c.State)
	}
	allowed := n.recordingAllowed(c.ID())
	if err := allowed(n.Clock.Now()); err != nil {
		return nil, tracker.Policy{}, err
	}
	o := c.Offer
	cfg := n.Config()
	return c, tracker.Policy{
		Contract:        c.ID().String(),
		Memo:            strings.TrimSpace(p.Memo),
		Screenshots:     o.Screenshots,
		Blur:            o.Blur == contract.BlurRequired,
		Webcam:          (p.Webcam || slices.Contains(cfg.WebcamContracts, c.ID().String())) && o.Webcam == contract.WebcamOptional,
		CountActivity:   o.ActivityCounting,
		Exclude:         cfg.ExcludedApps,
		IdleAfter:       time.Duration(cfg.Idle()) * time.Minute,
		WeeklyLimitFor:  n.weeklyLimitFor(c.ID()),
		Allowed:         allowed,
		ContinueOverCap: o.OverLimit == contract.OverLimitContinueMark,
		WeekStart:       o.WeekStart.Begin,
	}, nil
}

// trackerSettings is what a running session re-reads from the settings:
// a change saved in Settings applies at the session's next sample.
func (n *Node) trackerSettings() tracker.Settings {
	cfg := n.Config()
	return tracker.Settings{Exclude: cfg.ExcludedApps, IdleAfter: time.Duration(cfg.Idle()) * time.Minute}
}

// recordingAllowed says, from the contract as the registry has it at each
// moment, why no time may be recorded then: a pause or an end bound into
// the log while the session runs stops it. The tracker asks before every
// minute, so it reads the contract kept in n.life, read again only after
// a change.
func (n *Node) recordingAllowed(id contract.ID) func(time.Time) error {
	return func(at time.Time) error {
		c, err := n.life.get(id)
		if err != nil {
			return err
		}
		if since, paused := c.Paused(at); paused {
			return fmt.Errorf("contract %s: %w since %s: no time is recorded until it is resumed",
				id.Short(), contract.ErrPaused, since.UTC().Format("2006-01-02 15:04 UTC"))
		}
		if c.End != nil && !at.Before(c.End.At) {
			return fmt.Errorf("contract %s: %w on %s: no time is recorded after it",
				id.Short(), contract.ErrEnded, c.End.At.UTC().Format("2006-01-02 15:04 UTC"))
		}
		return nil
	}
}

// weeklyLimitFor is the limit in force in each week (amendments change it
// from a week on).
func (n *Node) weeklyLimitFor(id contract.ID) func(time.Time) time.Duration {
	return func(week time.Time) time.Duration {
		c, err := n.life.get(id)
		if err != nil {
			return 0
		}
		_, h := c.TermsFor(week)
		return time.Duration(h) * time.Hour
	}
}

// activitySource yields the session's minutes until stopped.
type activitySource interface {
	tracker.Activity
	stop()
}

// startActivity counts input through the X input helper, or on Wayland
// active minutes from the compositor's idle notifications where it offers
// them. A Wayland session with neither has nothing to count with: its
// minutes are still recorded, without counts, and the segments say so
// (session.Session.Limits).
func startActivity(ctx context.Context, clk clock.Clock, desk session.Session, wl *waylandDesk) (activitySource, error) {
	if wl != nil && wl.presence != nil {
		return wl.presence, nil
	}
	src, err := startInput(ctx, clk)
	if err != nil && desk.Kind == session.Wayland && errors.Is(err, input.ErrNoDisplay) {
		return &uncounted{c: activity.NewCounter(clk.Now())}, nil
	}
	return src, err
}

// uncounted hands out minutes without input counts.
type uncounted struct{ c *activity.Counter }

func (u *uncounted) Flush(now time.Time) []activity.Minute { return u.c.Flush(now) }
func (u *uncounted) stop()                                 {}

// inputSource runs the input helper for the session's lifetime.
type inputSource struct {
	*input.Source
	cancel context.CancelFunc
	done   chan struct{}
}

func (s *inputSource) stop() {
	s.cancel()
	<-s.done
}

// startInput starts the input helper and waits until it counts, so that a
// missing display is reported before tracking starts rather than recorded
// as hours without activity.
func startInput(ctx context.Context, clk clock.Clock) (*inputSource, error) {
	path := os.Getenv(EnvInputHelper)
	src := input.New(path, clk)
	ictx, cancel := context.WithCancel(ctx)
	is := &inputSource{Source: src, cancel: cancel, done: make(chan struct{})}
	errc := make(chan error, 1)
	go func() {
		defer close(is.done)
		errc <- src.Run(ictx)
	}()
	deadline := time.After(15 * time.Second)
	for {
		select {
		case err := <-errc:
			cancel()
			return nil, fmt.Errorf("activity counting: %w", err)
		case <-deadline:
			is.stop()
			return nil, fmt.Errorf("activity counting: the input helper did not start within 15s (%v)", src.Status().Err)
		case <-time.After(20 * time.Millisecond):
		}
		if src.Status().State == input.Running {
			return is, nil
		}
	}
}

type windows struct{}

func (windows) ActiveWindow() (capture.Window, error) { return capture.ActiveWindow() }

// webcam takes photos with the camera chosen in the settings, read at
// each photo so that a camera picked during a session is used at once.
type webcam struct{ n *Node }

func (w webcam) Snap(ctx context.Context) ([]byte, error) {
	dev := w.n.Config().WebcamDevice
	photo, err := capture.WebcamFrom(ctx, dev)
	if dev != "" && errors.Is(err, fs.ErrNotExist) {
		// The chosen camera was unplugged: any camera rather than none.
		return capture.WebcamFrom(ctx, "")
	}
	return photo, err
}
