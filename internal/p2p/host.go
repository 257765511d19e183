package p2p

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/libp2p/go-libp2p/p2p/discovery/mdns"
	"github.com/libp2p/go-libp2p/p2p/net/swarm"
	ma "github.com/multiformats/go-multiaddr"
)

// Errors callers tell apart.
var (
	// ErrNotAllowed: the peer shares no contract and has no pending invite.
	ErrNotAllowed = errors.New("peer is not a counterpart of any contract")
	// ErrNoAddrs: nothing says where the peer might be.
	ErrNoAddrs = errors.New("no known address for the peer: reconnect with the invite's addresses or on the same network")
	// ErrRefused: the peer closed the connection right after the
	// handshake, because on its side we share no contract and it expects
	// no pairing from us.
	ErrRefused = errors.New("the peer refused the connection: it has no contract with this installation and no pending invite")
	// ErrDropped: the connection closed right after it was made, with no
	// refusal from the peer.
	ErrDropped = errors.New("the connection closed as soon as it was made; try again")
)

// protectTag marks counterparts' connections, which the connection
// manager never trims: their connectedness is what the UI shows as online.
const protectTag = "workdiary-counterpart"

// Host is this installation's libp2p node.
type Host struct {
	h       host.Host
	cfg     Config
	gate    *gate
	book    *AddrBook // nil without a store
	net     *netState
	streams streamCount
	mdns    mdns.Service
	sub     event.Subscription
	ctx     context.Context
	cancel  context.CancelFunc
	wg      sync.WaitGroup

	mu     sync.Mutex
	closed bool
	onPeer []func(peer.ID, bool)
}

// New starts a host: it listens, loads the address book into the
// peerstore and, if configured, announces itself on the LAN. ctx bounds
// only the start; the host runs until Close.
func New(ctx context.Context, cfg Config) (*Host, error) {
	if cfg.Key == nil {
		return nil, errors.New("start network: no identity key")
	}
	cfg = cfg.withDefaults()
	relays, err := parseRelays(cfg.Relays)
	if err != nil {
		return nil, err
	}
	ids := make([]peer.ID, len(relays))
	for i, r := range relays {
		ids[i] = r.ID
	}
	g := newGate(cfg.Allow, cfg.Clock, cfg.Logger, ids)
	g.open = cfg.Reach != nil
	rm, err := cfg.Limits.resourceManager()
	if err != nil {
		return nil, err
	}
	cm, err := cfg.Limits.connManager()
	if err != nil {
		rm.Close()
		return nil, err
	}
	ns := newNetState()
	opts := append(cfg.options(relays, ns), libp2p.ResourceManager(rm), libp2p.ConnectionManager(cm),
		libp2p.ConnectionGater(g))
	h, err := libp2p.New(opts...)
	if err != nil {
		// Both close idempotently, in case libp2p already did.
		cm.Close()
		rm.Close()
		return nil, fmt.Errorf("start network on %v: %w", cfg.ListenAddrs, err)
	}
	hst, err := wrap(ctx, h, cfg, g, ns)
	if err != nil {
		h.Close()
		return nil, err
	}
	if cfg.MDNS {
		hst.mdns = mdns.NewMdnsService(h, mdnsService, mdnsFound{hst})
		if err := hst.mdns.Start(); err != nil {
			// A machine without multicast still syncs by address.
			cfg.Logger.Warn("LAN discovery unavailable", "err", err)
			hst.mdns = nil
		}
	}
	return hst, nil
}

// wrap adds Workdiary's behaviour to a libp2p host; tests use it on
// mocknet hosts.
func wrap(ctx context.Context, h host.Host, cfg Config, g *gate, ns *netState) (*Host, error) {
	sub, err := h.EventBus().Subscribe([]any{
		new(event.EvtPeerConnectednessChanged), new(event.EvtPeerIdentificationCompleted)})
	if err != nil {
		return nil, fmt.Errorf("subscribe to peer events: %w", err)
	}
	hctx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	hst := &Host{h: h, cfg: cfg, gate: g, sub: sub, ctx: hctx, cancel: cancel, net: ns}
	if cfg.Store != nil {
		hst.book = NewAddrBook(cfg.Store, cfg.Clock)
		known, err := hst.book.Load()
		if err != nil {
			sub.Close()
			cancel()
			return nil, err
		}
		for p, addrs := range known {
			h.Peerstore().AddAddrs(p, addrs, peerstore.AddressTTL)
		}
	}
	hst.wg.Add(2)
	go hst.watch()
	go hst.watchNet()
	return hst, nil
}

// Close stops discovery, closes every connection and waits for the
// host's goroutines.
func (h *Host) Close() error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return nil
	}
	h.closed = true
	h.mu.Unlock()
	h.cancel()
	if h.mdns != nil {
		h.mdns.Close()
	}
	err := h.h.Close()
	h.sub.Close()
	h.wg.Wait()
	if err != nil {
		return fmt.Errorf("close network: %w", err)
	}
	return nil
}

// ID is this installation's peer ID.
func (h *Host) ID() peer.ID { return h.h.ID() }

// Addrs are the addresses others can dial, each ending in /p2p/ID.
func (h *Host) Addrs() []ma.Multiaddr {
	addrs, _ := peer.AddrInfoToP2pAddrs(&peer.AddrInfo{ID: h.h.ID(), Addrs: h.h.Addrs()})
	return addrs
}

// Libp2p is the underlying host, for benchmarks and diagnostics.
func (h *Host) Libp2p() host.Host { return h.h }

// Refusals counts connections the gate refused since start.
func (h *Host) Refusals() uint64 { return h.gate.refusals.Load() }

// ExpectPairing admits one connection from p, who shares no contract yet,
// until the first such connection or until, whichever comes first. p may
// be AnyPeer for an invite whose contractor is not known yet. Once pairing
// succeeded the consumer allows p through its Allower.
func (h *Host) ExpectPairing(p peer.ID, until time.Time) { h.gate.expect(p, until) }

// CancelPairing withdraws a pairing that has not been used.
func (h *Host) CancelPairing(p peer.ID) { h.gate.cancel(p) }

// Online reports whether a direct connection to p is open.
func (h *Host) Online(p peer.ID) bool {
	return h.h.Network().Connectedness(p) == network.Connected
}

// OnPeer registers f to hear when a peer comes online (true) or goes
// offline (false). Calls come from one goroutine, in order; f must not
// block.
func (h *Host) OnPeer(f func(peer.ID, bool)) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.onPeer = append(h.onPeer, f)
}

// watch follows connections: it protects counterparts from trimming,
// learns their listen addresses and tells OnPeer observers.
func (h *Host) watch() {
	defer h.wg.Done()
	for ev := range h.sub.Out() {
		switch e := ev.(type) {
		case event.EvtPeerConnectednessChanged:
			online := e.Connectedness == network.Connected
			if online && h.gate.known(e.Peer) {
				h.h.ConnManager().Protect(e.Peer, protectTag)
			} else if e.Connectedness == network.NotConnected {
				h.h.ConnManager().Unprotect(e.Peer, protectTag)
			}
			h.mu.Lock()
			fs := h.onPeer
			h.mu.Unlock()
			for _, f := range fs {
				f(e.Peer, online)
			}
		case event.EvtPeerIdentificationCompleted:
			if h.book != nil && h.gate.known(e.Peer) {
				if err := h.book.Remember(e.Peer, e.ListenAddrs...); err != nil {
					h.cfg.Logger.Warn("cannot keep the addresses a peer listens on", "peer", e.Peer, "err", err)
				}
			}
		}
	}
}

// background runs f unless the host is closing.
func (h *Host) background(f func()) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return
	}
	h.wg.Add(1)
	go func() {
		defer h.wg.Done()
		f()
	}()
}

// mdnsFound dials counterparts announced on the LAN.
type mdnsFound struct{ h *Host }

func (n mdnsFound) HandlePeerFound(ai peer.AddrInfo) { n.h.found(ai) }

func (h *Host) found(ai peer.AddrInfo) {
	if ai.ID == h.h.ID() || !h.gate.mayDial(ai.ID) {
		return
	}
	if h.Online(ai.ID) {
		return // mDNS repeats itself; identify already recorded the addresses
	}
	if err := h.Remember(ai.ID, ai.Addrs...); err != nil {
		h.cfg.Logger.Warn("cannot keep the addresses of a peer found on the LAN", "peer", ai.ID, "err", err)
	}
	h.background(func() {
		if err := h.Connect(h.ctx, ai.ID); err != nil && h.ctx.Err() == nil {
			h.cfg.Logger.Warn("peer found on the LAN but not reachable", "peer", ai.ID, "err", err)
		}
	})
}

// clearBackoff lets Connect retry a peer the swarm recently failed to
// reach: an explicit Connect is a fresh intent.
func clearBackoff(n network.Network, p peer.ID) {
	if sw, ok := n.(*swarm.Swarm); ok {
		sw.Backoff().Clear(p)
	}
}
