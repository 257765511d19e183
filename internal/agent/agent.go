package agent

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/notify"
	"github.com/workdiary/workdiary/internal/tracker"
	"github.com/workdiary/workdiary/internal/tray"
)

// Agent runs beside an opened node that it owns for as long as no window
// does.
type Agent struct {
	Node *node.Node
	// Notes shows desktop notifications; nil when there is no server.
	Notes notify.Sender
	// Window is the command that opens the window (the desktop app on the
	// same folder); extra arguments are appended (--segment ID).
	Window []string
	// Autostart is the command the login entry runs (this agent).
	Autostart []string
	// Resume starts this session at once: the one the window was
	// recording when it closed.
	Resume node.Handover
	// Tray shows the icon; false in tests of the notifications alone.
	Tray bool
	// Serve starts answering the control socket. Run calls it once the
	// session carried on runs, so that nobody sees the agent without it.
	Serve func(ctx context.Context)

	log     *slog.Logger
	ctx     context.Context // Run's
	tray    *tray.Tray
	quit    context.CancelFunc
	watch   *watcher
	mu      sync.Mutex
	last    node.Handover // the session Start resumes
	problem string
	// handlers are the goroutines handling the tracker's events and the
	// control socket; Run waits for them before it returns, so none of
	// them reaches into a node its caller then closes. ended (guarded by
	// mu) is set once Run stops starting them.
	handlers sync.WaitGroup
	ended    bool
}

// Run runs the agent until ctx ends, Quit is chosen in the tray, or a
// window takes the folder over. It returns nil in all three cases.
func (a *Agent) Run(ctx context.Context) error {
	ctx, a.quit = context.WithCancel(ctx)
	a.ctx = ctx
	defer a.wait()
	n := a.Node
	a.log = n.Logger().With("component", "agent")
	a.watch = newWatcher(a)
	a.last = a.Resume
	n.OnChange(a.changed)
	n.OnTracking(a.tracked)
	n.OnHandover(a.handover)
	if a.Resume.Contract != "" {
		if err := a.start(ctx, a.Resume); err != nil {
			a.log.Warn("could not carry on tracking", "contract", a.Resume.Contract, "err", err)
		}
	}
	if a.Serve != nil {
		a.handlers.Go(func() { a.Serve(ctx) })
	}
	if a.Tray {
		t, err := tray.Start(a.state(), tray.Actions{Start: a.startLast, Stop: a.stop, Open: func() { a.open("") }, Quit: a.Quit})
		if err != nil {
			a.log.Warn("no tray icon", "err", err)
		} else {
			a.tray = t
			defer t.Close()
		}
	}
	if err := ApplyAutostart(n, a.Autostart); err != nil {
		a.log.Warn("autostart entry", "err", err)
	}
	tick := time.NewTicker(time.Minute)
	defer tick.Stop()
	for {
		a.refresh()
		a.watch.syncs()
		select {
		case <-ctx.Done():
			return nil
		case <-tick.C:
		}
	}
}

// Quit stops tracking and ends Run.
func (a *Agent) Quit() {
	a.stop()
	a.quit()
}

func (a *Agent) start(ctx context.Context, h node.Handover) error {
	_, err := a.Node.StartTracking(ctx, node.TrackParams{Contract: h.Contract, Memo: h.Memo}, nil, a.tracked, idleAsker{a})
	if err == nil {
		a.mu.Lock()
		a.last = h
		a.mu.Unlock()
	}
	a.refresh()
	return err
}

// startLast is the tray's Start: the last contract tracked, with its memo.
func (a *Agent) startLast() {
	h := a.lastSession()
	if h.Contract == "" {
		return
	}
	if err := a.start(a.ctx, h); err != nil {
		a.log.Warn("tray start", "err", err)
		a.tell(notify.Note{Summary: "Workdiary could not start tracking", Body: err.Error()})
	}
}

func (a *Agent) stop() {
	if _, err := a.Node.StopTracking(node.TrackQuery{}); err != nil && !errors.Is(err, tracker.ErrLimitReached) {
		a.log.Warn("stop tracking", "err", err)
	}
	a.refresh()
}

// handover gives the folder to a window: the session running stops here
// (the window starts it again) and Run ends once the answer has gone.
func (a *Agent) handover(context.Context) (node.Handover, error) {
	var h node.Handover
	if s := a.Node.Tracking(); s != nil {
		h = node.Handover{Contract: s.Contract.ID, Memo: s.Memo}
	}
	if clock.IsFast(a.Node.Clock) {
		h.Clock = a.Node.Clock.Now()
	}
	a.stop()
	a.log.Info("handing the folder to the window", "contract", h.Contract)
	go a.quit()
	return h, nil
}

// open starts the window; it takes the folder from this agent.
func (a *Agent) open(segment string) {
	if len(a.Window) == 0 {
		return
	}
	args := append([]string(nil), a.Window[1:]...)
	if segment != "" {
		args = append(args, "--segment", segment)
	}
	cmd := exec.Command(a.Window[0], args...)
	cmd.Stdout, cmd.Stderr = os.Stdout, os.Stderr // the agent's log
	a.log.Info("opening the window", "program", a.Window[0])
	if err := cmd.Start(); err != nil {
		a.log.Error("cannot open the window", "err", err)
		a.tell(notify.Note{Summary: "Workdiary could not open its window", Body: err.Error()})
		return
	}
	go func() { _ = cmd.Wait() }()
}

func (a *Agent) lastSession() node.Handover {
	a.mu.Lock()
	h := a.last
	a.mu.Unlock()
	return LastSession(a.Node, h)
}

// LastSession is what the tray's Start records: the running session, else
// last (the one last run here), else the first contract this installation
// records on, with its title as the memo.
func LastSession(n *node.Node, last node.Handover) node.Handover {
	if s := n.Tracking(); s != nil {
		return node.Handover{Contract: s.Contract.ID, Memo: s.Memo}
	}
	if last.Contract != "" {
		return last
	}
	cs, err := n.ListContracts()
	if err != nil {
		return last
	}
	for _, c := range cs {
		if c.Role == "contractor" && (c.State == "active" || c.State == "accepted-pending-delivery") {
			return node.Handover{Contract: c.ID, Memo: c.Title}
		}
	}
	return last
}

// changed hears the node's announcements, whoever made the change.
func (a *Agent) changed(topic string, _ any) {
	switch topic {
	case node.TopicContractsChanged:
		a.watch.contracts()
		if err := ApplyAutostart(a.Node, a.Autostart); err != nil {
			a.log.Warn("autostart entry", "err", err)
		}
	case node.TopicAgentSettings:
		if err := ApplyAutostart(a.Node, a.Autostart); err != nil {
			a.log.Warn("autostart entry", "err", err)
		}
	case node.TopicSyncChanged:
		a.watch.syncs()
	}
	a.refresh()
}

// tracked hears the tracker's events, from sessions this agent started
// and from those `workdiary track` asked for. The node may tell them with
// its tracking lock held (a session's start), so they are handled on
// their own goroutine, which may ask the node what it needs.
func (a *Agent) tracked(e tracker.Event) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.ended {
		return // Run has returned: no tray to show it in
	}
	a.handlers.Go(func() { a.handle(e) })
}

// wait ends what Run started and waits for the handlers still running.
func (a *Agent) wait() {
	a.quit()
	a.mu.Lock()
	a.ended = true
	a.mu.Unlock()
	a.handlers.Wait()
}

func (a *Agent) handle(e tracker.Event) {
	switch e.Kind {
	case tracker.ScreenshotTaken:
		a.screenshot(e)
	case tracker.LimitWarning, tracker.LimitReached:
		a.limit(e)
	case tracker.Problem:
		a.mu.Lock()
		a.problem = e.Message
		a.mu.Unlock()
	case tracker.MinuteRecorded, node.TrackStarted, node.TrackStopped:
		a.mu.Lock()
		a.problem = ""
		a.mu.Unlock()
	}
	a.refresh()
}

// refresh shows the node's state in the tray.
func (a *Agent) refresh() {
	if a.tray != nil {
		a.tray.Set(a.state())
	}
}

func (a *Agent) state() tray.State {
	a.mu.Lock()
	problem := a.problem
	a.mu.Unlock()
	return TrayState(a.Node, a.lastSession(), problem)
}

// TrayState is what the tray shows of session h: whether it runs, its
// contract and today's minutes, and problem (the tracker's last, or "").
func TrayState(n *node.Node, h node.Handover, problem string) tray.State {
	if h.Contract == "" {
		return tray.State{}
	}
	ts, err := n.TrackingStatus(h.Contract)
	if err != nil {
		return tray.State{Problem: err.Error()}
	}
	return tray.State{Tracking: ts.Running, Contract: ts.Title, TodayMinutes: ts.TodayMinutes, Problem: problem}
}

// Program is where a sibling program is: the path in the environment
// variable env when set, else name beside the running program (the app
// and the command line are installed together), else name for PATH.
func Program(env, name string) string {
	if p := os.Getenv(env); p != "" {
		return p
	}
	if self, err := os.Executable(); err == nil {
		p := filepath.Join(filepath.Dir(self), name)
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return name
}
