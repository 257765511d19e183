package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/owner"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncstore"
)

// Node is one opened data folder.
//
// Locks, taken in this order when one is held while taking another (a
// lock further down the list never waits for one above it):
//
//  1. tracking.mu: the running tracking session and its observer.
//     StartTracking holds it while it reads the settings and contracts
//     and starts the session's goroutine (mu).
//  2. syncstore's commit lock: one received batch commits at a time (the
//     employer's side of a sync); it is held across the images' renames
//     and the store's transaction and takes no lock of the node.
//  3. syncs.mu: the last sync of each contract; SyncStates holds it while
//     it reads the identity (mu) and refusals from the store and asks the
//     host who is online.
//  4. mu: the identity, settings, observer, network, the sync loop's kick
//     channel, and whether the node is closing. StartNetwork holds it
//     while the host starts and joins the DHT (reachState.mu).
//  5. reachState.mu (node/reach.go): the DHT once the host has joined it.
//  6. life.mu (node/lifecache.go): the contracts kept for the tracker's
//     check of each minute; held for map operations alone.
//
// A session's eventLog.mu guards its events alone and calls nothing that
// locks. The observer (notify) is always called with no lock held.
//
// The goroutines the node starts (the sync loop, a tracking session's
// recorder and end timer) run through goBackground: they end when Close
// cancels stop, and Close waits for them (bg) before it stops the
// network, whose reach announcer has its own stop, waited for there.
type Node struct {
	// Fixed at open.
	Home  string
	Clock clock.Clock
	lock  *owner.Lock
	store *store.Store
	log   *slog.Logger
	stop  context.Context // ends when Close begins
	// cancel ends stop.
	cancel context.CancelFunc
	bg     sync.WaitGroup // the goroutines started by the node, waited for by Close

	// Guarded by mu.
	mu      sync.RWMutex
	id      *identity.Identity
	cfg     config.Config
	notify  func(topic string, data any)
	net     *network
	kick    chan string // contracts to sync now (see SyncEvery)
	closing bool        // Close has begun: start no more goroutines

	tracking trackingState // guarded by tracking.mu
	syncs    syncLog       // guarded by syncs.mu
	// side is sync's storage (syncstore), made at open; its own commit
	// lock takes no lock of the node.
	side *syncstore.Adapter
	// life keeps the contracts the tracker checks every minute, emptied
	// whenever a contract changes (announce, bindOwn).
	life lifeCache
	// handover is the resident agent's answer to OpAgentHandover (nil: not
	// an agent).
	handover atomic.Pointer[handoverHook]
	// move is the desktop app's answer to OpFolderMove (none: the owner
	// does not move its folder).
	move moveHolder
	// parties is who the host admits, until the store next commits.
	parties partyCache
}

// Topics a node announces to its observer (the desktop app forwards them to
// the window as events of the same name).
const (
	TopicIdentityCreated = "identity:created"
)

// OnChange sets the one observer told about changes made by any caller,
// including other processes through the control socket.
func (n *Node) OnChange(f func(topic string, data any)) {
	n.mu.Lock()
	defer n.mu.Unlock()
	n.notify = f
}

func (n *Node) announce(topic string, data any) {
	if topic == TopicContractsChanged {
		n.life.forget()
		// A new offer or contract is findable under its rendezvous key
		// now, not at the next round ten minutes on.
		if nw := n.network(); nw != nil {
			nw.reach.announceSoon()
		}
	}
	n.mu.RLock()
	f := n.notify
	n.mu.RUnlock()
	if f != nil {
		f(topic, data)
	}
}

// Open takes the data folder home for one command as role, opens its
// store and loads its identity if one exists (a fresh folder has none until
// CreateIdentity).
func Open(home, role string, c clock.Clock, opts ...Option) (*Node, error) {
	return open(home, c, func() (*owner.Lock, error) { return owner.Acquire(home, role) }, opts)
}

// OpenOwner is Open for a long-running owner (the desktop app, `serve`, a
// foreground `track`): a command that has the folder for a moment is waited
// for (owner.AcquireOwner; waiting hears what it waits for), another owner
// is refused.
func OpenOwner(ctx context.Context, home, role string, c clock.Clock, waiting func(holder string), opts ...Option) (*Node, error) {
	return open(home, c, func() (*owner.Lock, error) { return owner.AcquireOwner(ctx, home, role, waiting) }, opts)
}

func open(home string, c clock.Clock, acquire func() (*owner.Lock, error), opts []Option) (*Node, error) {
	if err := config.EnsureHome(home); err != nil {
		return nil, err
	}
	lock, err := acquire()
	if err != nil {
		return nil, err
	}
	cfg, err := config.Load(home)
	if err != nil {
		lock.Release()
		return nil, err
	}
	n := &Node{Home: home, Clock: c, lock: lock, cfg: cfg, log: DefaultLogger()}
	n.life.load = func(id contract.ID) (*contract.Contract, error) { return n.Contracts().Get(id) }
	for _, o := range opts {
		o(n)
	}
	if n.store, err = store.Open(home, store.WithLogger(n.log)); err != nil {
		lock.Release()
		return nil, err
	}
	// A folder written before the logs' recent records gets them once
	// (afterwards every append keeps them); until it has, the team view
	// reads the logs' indexes, so a failure here (a full disk) only
	// costs time.
	if err := logdb.EnsureRecent(n.store); err != nil {
		n.log.Warn("building the logs' recent records", "err", err)
	}
	n.stop, n.cancel = context.WithCancel(context.Background())
	n.side = n.newSyncStore()
	id, err := identity.Load(home)
	switch {
	case err == nil:
		n.id = id
	case !errors.Is(err, identity.ErrNoIdentity):
		n.Close()
		return nil, err
	}
	return n, nil
}

// Close stops what the node started (the sync loop, tracking, the
// network), waits for its goroutines and releases the store and the
// folder.
func (n *Node) Close() error {
	n.mu.Lock()
	n.closing = true
	n.mu.Unlock()
	n.cancel()
	if s := n.Tracking(); s != nil {
		_ = s.Stop()
	}
	// A request that ended the owner (track stop) gets its answer before
	// the store it reads closes.
	n.lock.Drain(5 * time.Second)
	n.bg.Wait()
	n.stopNetwork()
	err := n.store.Close()
	if rerr := n.lock.Release(); err == nil {
		err = rerr
	}
	return err
}

// goBackground runs f on its own goroutine with a context that ends with
// ctx or when Close begins, and has Close wait for it. It reports false,
// and runs nothing, once Close has begun.
func (n *Node) goBackground(ctx context.Context, f func(ctx context.Context)) bool {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.closing {
		return false
	}
	n.bg.Add(1)
	ctx, cancel := context.WithCancel(ctx)
	stop := context.AfterFunc(n.stop, cancel)
	go func() {
		defer n.bg.Done()
		defer stop()
		defer cancel()
		f(ctx)
	}()
	return true
}

// Lock is the ownership of the folder, for serving the control socket.
func (n *Node) Lock() *owner.Lock { return n.lock }

// Store is the node's database.
func (n *Node) Store() *store.Store { return n.store }

// Identity returns the installation's identity or identity.ErrNoIdentity.
func (n *Node) Identity() (*identity.Identity, error) {
	n.mu.RLock()
	defer n.mu.RUnlock()
	if n.id == nil {
		return nil, fmt.Errorf("%w in %s", identity.ErrNoIdentity, n.Home)
	}
	return n.id, nil
}

// Config returns the current settings.
func (n *Node) Config() config.Config {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.cfg
}

// CreateIdentity makes the installation's key (once) and settles the
// settings chosen at init, such as the listen port.
func (n *Node) CreateIdentity(name string) (*identity.Identity, error) {
	id, err := n.createIdentity(name)
	if err != nil {
		return nil, err
	}
	n.announce(TopicIdentityCreated, n.infoOf(id))
	return id, nil
}

func (n *Node) createIdentity(name string) (*identity.Identity, error) {
	n.mu.Lock()
	defer n.mu.Unlock()
	id, err := identity.Create(n.Home, name)
	if err != nil {
		return nil, err
	}
	cfg := config.InitDefaults(n.cfg)
	if err := config.Save(n.Home, cfg); err != nil {
		return nil, err
	}
	n.id, n.cfg = id, cfg
	return id, nil
}
