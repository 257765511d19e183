package node

import (
	"context"
	"sync"

	"github.com/ipfs/go-cid"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"

	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/reach"
)

// ReachOptions say how a node takes part in the internet beyond the
// addresses it knows: the DHT it finds counterparts through, and whether
// it serves others as a helper or an employer's relay.
type ReachOptions struct {
	// Bootstrap are the DHT's entry peers; empty joins no DHT (a relay
	// or a node with counterparts at known addresses still works).
	Bootstrap []peer.AddrInfo
	// Helper serves the DHT, AutoNAT and a limited relay for anyone and
	// keeps no diary (`serve --public`).
	Helper bool
	// RelayFor are the peers this node relays without limits (`serve
	// --relay`).
	RelayFor []peer.ID
}

// userReach is a user's installation: the DHT through the configured or
// the environment's bootstrap peers.
func userReach(cfg config.Config) (*ReachOptions, error) {
	boot, err := reach.Bootstrap(cfg.Bootstrap)
	if err != nil {
		return nil, err
	}
	return &ReachOptions{Bootstrap: boot}, nil
}

// reachState is the running part of reach: the DHT and the announcer.
type reachState struct {
	n      *Node
	o      *ReachOptions
	mu     sync.Mutex
	dht    *reach.DHT
	kick   chan struct{}
	cancel context.CancelFunc
	done   chan struct{}
}

func newReachState(n *Node, o *ReachOptions) *reachState {
	if o == nil {
		return nil
	}
	return &reachState{n: n, o: o, kick: make(chan struct{}, 1)}
}

// p2pConfig is what the host needs of reach.
func (r *reachState) p2pConfig() *p2p.Reach {
	if r == nil {
		return nil
	}
	c := &p2p.Reach{Helper: r.o.Helper, RelayFor: r.o.RelayFor, RelaySource: r.relaySource}
	if len(r.o.Bootstrap) > 0 || r.o.Helper {
		c.Routing = r.routing
	}
	return c
}

// routing joins the DHT when libp2p builds the host.
func (r *reachState) routing(h host.Host) (routing.PeerRouting, error) {
	var keys reach.Keys
	if !r.o.Helper {
		keys = contractKeys{r.n}
	}
	d, err := reach.NewDHT(h, r.o.Helper, r.o.Bootstrap, keys)
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.dht = d
	r.mu.Unlock()
	return d, nil
}

// relaySource offers the bootstrap peers and the DHT's peers as relays:
// public helpers serve limited relays, enough to meet and punch a hole.
func (r *reachState) relaySource(ctx context.Context, num int) <-chan peer.AddrInfo {
	out := make(chan peer.AddrInfo, num)
	go func() {
		defer close(out)
		seen := map[peer.ID]bool{}
		send := func(ai peer.AddrInfo) bool {
			if seen[ai.ID] || len(seen) >= num {
				return len(seen) < num
			}
			seen[ai.ID] = true
			select {
			case out <- ai:
				return true
			case <-ctx.Done():
				return false
			}
		}
		for _, b := range r.o.Bootstrap {
			if !send(b) {
				return
			}
		}
		if d := r.DHT(); d != nil {
			for _, p := range d.RoutingPeers() {
				if !send(peer.AddrInfo{ID: p}) {
					return
				}
			}
		}
	}()
	return out
}

// DHT is the node's DHT, once the host has joined it.
func (r *reachState) DHT() *reach.DHT {
	if r == nil {
		return nil
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.dht
}

// start begins announcing this node under its contracts' keys.
func (r *reachState) start(h *p2p.Host) {
	d := r.DHT()
	if d == nil || r.o.Helper {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel, r.done = cancel, make(chan struct{})
	go func() {
		defer close(r.done)
		_ = d.Bootstrap(ctx)
		reach.RunAnnouncer(ctx, h.Libp2p(), d, r.kick, r.reportAnnounce)
	}()
}

// reportAnnounce logs each announcement round: a failure is usual while
// the node has no DHT peers yet, so it is news only to someone debugging.
func (r *reachState) reportAnnounce(keys int, err error) {
	l := r.n.log.With("component", "reach")
	if err != nil {
		l.Debug("announce: round failed; retrying", "err", err)
		return
	}
	l.Debug("announce: announced", "keys", keys)
}

// announceSoon announces at once, e.g. for a new offer or contract.
func (r *reachState) announceSoon() {
	if r == nil {
		return
	}
	select {
	case r.kick <- struct{}{}:
	default:
	}
}

func (r *reachState) stop() {
	if r == nil {
		return
	}
	if r.cancel != nil {
		r.cancel()
		<-r.done
	}
	if d := r.DHT(); d != nil {
		_ = d.Close()
	}
}

// contractKeys are the rendezvous keys of the node's open offers and live
// contracts.
type contractKeys struct{ n *Node }

func (k contractKeys) Own() []cid.Cid { return k.keys(func(*contract.Contract) bool { return true }) }

func (k contractKeys) With(p peer.ID) []cid.Cid {
	return k.keys(func(c *contract.Contract) bool {
		cp := c.Counterpart()
		return cp.PublicKey != nil && identity.PeerIDOf(cp.PublicKey) == p
	})
}

func (k contractKeys) keys(match func(*contract.Contract) bool) []cid.Cid {
	cs, err := k.n.Contracts().List()
	if err != nil {
		return nil
	}
	var out []cid.Cid
	for _, c := range cs {
		if c.State == contract.StateEnded || !match(c) {
			continue
		}
		out = append(out, reach.Key(c.ID()))
	}
	return out
}
