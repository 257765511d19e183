package app

import (
	"context"
	"os"
	"os/signal"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/wailsapp/wails/v2/pkg/runtime"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/tray"
)

// App holds the node the window works on and the window's context.
type App struct {
	// cur is the node the window works on; a move of the data folder
	// replaces it (moveFolder).
	cur       atomic.Pointer[node.Node]
	ctx       context.Context
	cancel    context.CancelFunc
	Identity  *IdentityAPI
	Contracts *ContractsAPI
	Tracker   *TrackerAPI
	Images    *ImagesAPI
	Diary     *DiaryAPI
	Team      *TeamAPI
	Sheets    *TimesheetsAPI
	About     *AboutAPI
	Agent     *AgentAPI
	Settings  *SettingsAPI
	Webcam    *WebcamAPI

	netMu      sync.Mutex
	netStarted bool
	serveMu    sync.Mutex
	stopServe  context.CancelFunc // ends the control socket of the node now
	moveMu     sync.Mutex         // one move of the data folder at a time
	chosenBy   string             // what named the data folder (config.ChosenBy)
	// carry is the session the resident agent was recording, started
	// again in this window; quitting is set when the app quits rather
	// than closes its window (no agent is left running then).
	carry    node.Handover
	quitting atomic.Bool
	trayMu   sync.Mutex
	tray     *tray.Tray // nil when there is none
	// events sends an event to the window: Wails' runtime.EventsEmit, or
	// a recorder in tests, which have no window.
	events func(ctx context.Context, name string, data ...any)
	// dialogs asks for files: Wails' native dialogs, or a stand-in in tests.
	dialogs dialogs
	// bg are the goroutines the app starts on the node (see goBg), which
	// Shutdown waits for before it closes the folder; shutting (guarded
	// by bgMu) is set once it has begun, and goBg then starts none.
	bgMu     sync.Mutex
	bg       sync.WaitGroup
	shutting bool
}

// goBg runs f on its own goroutine unless Shutdown has begun, and has
// Shutdown wait for it: nothing the app starts uses the node after the
// folder is closed (or starts a network on a closing node).
func (a *App) goBg(f func()) {
	a.bgMu.Lock()
	defer a.bgMu.Unlock()
	if !a.shutting {
		a.bg.Go(f)
	}
}

// New wires the bound APIs to an opened node. n is nil only while Wails
// generates bindings.
func New(n *node.Node) *App {
	a := &App{events: runtime.EventsEmit, dialogs: nativeDialogs}
	a.cur.Store(n)
	a.Identity = &IdentityAPI{app: a}
	a.Contracts = &ContractsAPI{app: a}
	a.Tracker = &TrackerAPI{app: a, idle: make(chan bool)}
	a.Images = &ImagesAPI{app: a}
	a.Diary = &DiaryAPI{app: a}
	a.Team = &TeamAPI{app: a}
	a.Sheets = &TimesheetsAPI{app: a}
	a.About = &AboutAPI{}
	a.Agent = &AgentAPI{app: a}
	a.Settings = &SettingsAPI{app: a}
	a.Webcam = &WebcamAPI{app: a}
	return a
}

// n is the node the window works on now.
func (a *App) n() *node.Node { return a.cur.Load() }

// Bind lists the structs whose methods the frontend may call.
func (a *App) Bind() []any {
	return []any{a.Identity, a.Contracts, a.Tracker, a.Images, a.Diary, a.Team, a.Sheets, a.About, a.Agent, a.Settings, a.Webcam}
}

// Startup runs when the window is created: the app owns its data folder,
// so it answers other processes (e.g. `workdiary id`) on the control socket.
func (a *App) Startup(ctx context.Context) {
	a.ctx, a.cancel = context.WithCancel(ctx)
	if a.n() == nil {
		return
	}
	a.n().Logger().Debug("window starting", "ms", SinceStart())
	go a.quitOnSignal() // uses no node; Quit from it leads to Shutdown
	a.attach()
	a.goBg(a.carryOn)
	a.goBg(a.startTray)
}

// attach starts what the window runs on its node: the announcements it
// forwards, the network, the login entry and the control socket. Startup
// calls it, and a move of the data folder again on the node it reopens.
func (a *App) attach() {
	n := a.n()
	a.watch()
	n.OnMove(a.moveOp)
	a.goBg(a.startNetwork)
	a.goBg(a.applyAutostart)
	ctx, cancel := context.WithCancel(a.ctx)
	a.serveMu.Lock()
	a.stopServe = cancel
	a.serveMu.Unlock()
	a.goBg(func() {
		if err := n.Serve(ctx); err != nil {
			n.Logger().Error("control socket failed", "err", err)
		}
	})
}

// watch forwards the node's announcements to the window. The node announces
// every change, whoever made it (the window, `workdiary approve` through
// the control socket, a sync), so the bindings announce nothing themselves.
func (a *App) watch() {
	a.n().OnChange(func(topic string, data any) {
		a.emit(topic, data)
		a.goBg(a.refreshTray)
		switch topic {
		case EventIdentityCreated:
			a.goBg(a.startNetwork)
		case node.TopicContractsChanged, node.TopicAgentSettings:
			a.goBg(a.applyAutostart)
		}
	})
	// Sessions `workdiary track` starts in this node show in the window too.
	a.n().OnTracking(a.Tracker.forward)
}

// Shutdown stops serving and closes the data folder. A closed window
// leaves the folder to the resident agent, which carries on the session
// running here; a quit leaves nothing running.
func (a *App) Shutdown(context.Context) {
	if a.cancel != nil {
		a.cancel()
	}
	if a.n() == nil {
		return
	}
	a.bgMu.Lock()
	a.shutting = true
	a.bgMu.Unlock()
	a.bg.Wait() // ctx is cancelled: the network's start, the socket and the tray's minute end
	a.closeTray()
	h := node.Handover{Clock: a.n().Clock.Now()}
	if s := a.n().Tracking(); s != nil {
		h.Contract, h.Memo = s.Contract.ID, s.Memo
	}
	if err := a.n().Close(); err != nil {
		a.n().Logger().Error("cannot close the data folder", "err", err)
	}
	if !a.quitting.Load() {
		a.leaveToAgent(h)
	}
}

func (a *App) emit(name string, data any) {
	if a.ctx != nil {
		a.events(a.ctx, name, data)
	}
}

// quitOnSignal closes the window cleanly on SIGTERM or Ctrl-C, so the data
// folder is closed and released as on a normal quit.
func (a *App) quitOnSignal() {
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	defer signal.Stop(sig)
	select {
	case <-sig:
		a.quitting.Store(true)
		runtime.Quit(a.ctx)
	case <-a.ctx.Done():
	}
}

// startNetwork joins the network once there is an identity: the app owns
// the data folder, so it receives and syncs while it is open.
func (a *App) startNetwork() {
	a.netMu.Lock()
	defer a.netMu.Unlock()
	if a.netStarted {
		return
	}
	if _, err := a.n().Identity(); err != nil {
		return
	}
	if err := a.n().StartNetwork(a.ctx, a.n().UserNetOptions(nil)); err != nil {
		a.n().Logger().Error("the network did not start", "err", err)
		a.emit(EventSyncChanged, map[string]string{"error": err.Error()})
		return
	}
	a.netStarted = true
	a.n().SyncEvery(a.ctx, 30*time.Second, nil)
}
