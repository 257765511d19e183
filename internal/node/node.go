package node

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/owner"
	"github.com/workdiary/workdiary/internal/store"
)

// Node is one opened data folder.
type Node struct {
	Home  string
	Clock clock.Clock
	lock  *owner.Lock
	store *store.Store
	log   *slog.Logger // fixed at open (WithLogger)

	mu     sync.RWMutex
	id     *identity.Identity
	cfg    config.Config
	notify func(topic string, data any)

	tracking trackingState
	net      *network
	syncs    syncLog
	kick     chan string // contracts to sync now (see SyncEvery)
	commitMu sync.Mutex  // received batches commit one at a time
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
	st, err := store.Open(home)
	if err != nil {
		lock.Release()
		return nil, err
	}
	n := &Node{Home: home, Clock: c, lock: lock, store: st, cfg: cfg, log: DefaultLogger()}
	for _, o := range opts {
		o(n)
	}
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

// Close releases the store and the folder.
func (n *Node) Close() error {
	if s := n.Tracking(); s != nil {
		_ = s.Stop()
	}
	n.stopNetwork()
	err := n.store.Close()
	if rerr := n.lock.Release(); err == nil {
		err = rerr
	}
	return err
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
		return nil, fmt.Errorf("%w in %s: run `workdiary init --name NAME` or open the desktop app", identity.ErrNoIdentity, n.Home)
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
