package p2p

import (
	"context"
	"fmt"
	"runtime/debug"
	"runtime/pprof"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/peerstore"
	"github.com/libp2p/go-libp2p/core/protocol"
	ma "github.com/multiformats/go-multiaddr"
)

// Remember records addresses at which p was reachable: in the peerstore
// for this run and in the address book for the next.
func (h *Host) Remember(p peer.ID, addrs ...ma.Multiaddr) error {
	var ok []ma.Multiaddr
	for _, a := range addrs {
		if a = usable(a, p); a != nil {
			ok = append(ok, a)
		}
	}
	h.h.Peerstore().AddAddrs(p, ok, peerstore.AddressTTL)
	if h.book == nil {
		return nil
	}
	return h.book.Remember(p, ok...)
}

// Connect makes sure a connection to p is open, dialing the addresses
// learned before plus extra (e.g. an invite's), within the configured dial
// timeout. The address that worked is remembered.
func (h *Host) Connect(ctx context.Context, p peer.ID, extra ...ma.Multiaddr) error {
	if p == h.h.ID() {
		return fmt.Errorf("connect to %s: that is this installation", p)
	}
	if h.Online(p) {
		return nil // admitted when it was made; pairing guests rely on this
	}
	if !h.gate.mayDial(p) {
		return fmt.Errorf("connect to %s: %w", p, ErrNotAllowed)
	}
	var addrs []ma.Multiaddr
	for _, a := range extra {
		if a = usable(a, p); a != nil {
			addrs = append(addrs, a)
		}
	}
	if h.book != nil {
		stored, err := h.book.Addrs(p)
		if err != nil {
			h.cfg.Logger.Warn("cannot read the addresses kept for a peer", "peer", p, "err", err)
		}
		addrs = append(addrs, stored...)
	}
	if len(addrs) == 0 && len(h.h.Peerstore().Addrs(p)) == 0 && h.cfg.Reach == nil {
		return fmt.Errorf("connect to %s: %w", p, ErrNoAddrs)
	}
	// The peer's gate decides after the handshake, which our side sees
	// succeed; a refusal shows as identify failing on the new connection.
	verdict, stop, err := h.watchIdentify(p)
	if err != nil {
		return fmt.Errorf("connect to %s: %w", p, err)
	}
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, h.cfg.DialTimeout)
	defer cancel()
	clearBackoff(h.h.Network(), p)
	if err := h.h.Connect(ctx, peer.AddrInfo{ID: p, Addrs: addrs}); err != nil {
		return fmt.Errorf("connect to %s: %w", p, err)
	}
	var reason error
	select {
	case reason = <-verdict:
	case <-time.After(verdictWait):
		// Identify ran on a connection made before we asked (a dial
		// racing ours); liveness below is all there is to check.
	case <-ctx.Done():
	}
	if reason != nil {
		h.h.Network().ClosePeer(p)
		return fmt.Errorf("connect to %s: %w (%v)", p, ErrRefused, reason)
	}
	if !h.openConn(p) {
		// Identify saw nothing wrong: the connection went away (a
		// relay's limit, a failed punch, the network), which says
		// nothing about the peer's will.
		return fmt.Errorf("connect to %s: %w", p, ErrDropped)
	}
	h.rememberDialed(p)
	return nil
}

// verdictWait bounds the wait for identify's verdict after libp2p's
// Connect returned. Identify's events are emitted before Connect returns,
// so the verdict is normally already on its way.
const verdictWait = 2 * time.Second

// watchIdentify reports the first identify outcome with p: nil on success,
// the reason on failure. The subscription is drained continuously, so a
// busy node's other events never block identify.
func (h *Host) watchIdentify(p peer.ID) (<-chan error, func(), error) {
	sub, err := h.h.EventBus().Subscribe([]any{
		new(event.EvtPeerIdentificationCompleted), new(event.EvtPeerIdentificationFailed)})
	if err != nil {
		return nil, nil, err
	}
	verdict := make(chan error, 1)
	done := make(chan struct{})
	go func() {
		defer close(done)
		for ev := range sub.Out() {
			var got error
			switch e := ev.(type) {
			case event.EvtPeerIdentificationFailed:
				if e.Peer != p {
					continue
				}
				got = e.Reason
			case event.EvtPeerIdentificationCompleted:
				if e.Peer != p {
					continue
				}
			}
			select {
			case verdict <- got:
			default: // the first verdict stands
			}
		}
	}()
	return verdict, func() { sub.Close(); <-done }, nil
}

// openConn reports whether a live connection to p exists.
func (h *Host) openConn(p peer.ID) bool {
	for _, c := range h.h.Network().ConnsToPeer(p) {
		if !c.IsClosed() {
			return true
		}
	}
	return false
}

// rememberDialed keeps the addresses our own dials reached p at; inbound
// connections come from ephemeral ports and teach nothing.
func (h *Host) rememberDialed(p peer.ID) {
	if h.book == nil || !h.gate.known(p) {
		return
	}
	var addrs []ma.Multiaddr
	for _, c := range h.h.Network().ConnsToPeer(p) {
		if c.Stat().Direction == network.DirOutbound {
			addrs = append(addrs, c.RemoteMultiaddr())
		}
	}
	if err := h.book.Remember(p, addrs...); err != nil {
		h.cfg.Logger.Warn("cannot keep the addresses a peer was reached at", "peer", p, "err", err)
	}
}

// Open connects to p if needed and opens a stream for proto. The caller
// owns the stream (see NewStream for the Close/Reset discipline). A
// pairing stream may go through a relay; the others carry a log and its
// images, which a public relay's limits cut off, so they wait for a
// direct connection (see direct).
func (h *Host) Open(ctx context.Context, p peer.ID, proto protocol.ID) (network.Stream, error) {
	if err := h.Connect(ctx, p); err != nil {
		return nil, fmt.Errorf("open %s: %w", proto, err)
	}
	if proto == ProtoPair {
		ctx = network.WithAllowLimitedConn(ctx, "pairing")
	} else if err := h.direct(ctx, p); err != nil {
		return nil, fmt.Errorf("open %s to %s: %w", proto, p, err)
	}
	ctx, cancel := context.WithTimeout(ctx, h.cfg.DialTimeout)
	defer cancel()
	s, err := h.h.NewStream(ctx, p, proto)
	if err != nil {
		return nil, fmt.Errorf("open %s to %s: %w", proto, p, err)
	}
	return s, nil
}

// Handle serves proto. The handler runs with a context that ends when the
// host closes, and owns the stream (see NewStream). Only parties (Config.
// Parties) reach it, except on ProtoPair and ProtoSync, which also serve
// pairing guests (Config.Allow): a guest may deliver an acceptance, alone
// or in a sync's greeting, and the handler checks it. One peer
// gets at most MaxStreamsPerPeer handlers at once, so that even a party
// cannot make the node hold more than a few maximal frames for it. A
// handler that panics has its stream reset and the node keeps serving.
func (h *Host) Handle(proto protocol.ID, handler func(context.Context, network.Stream)) {
	h.h.SetStreamHandler(proto, func(s network.Stream) {
		p := s.Conn().RemotePeer()
		if !h.mayUse(proto, p) {
			h.cfg.Logger.Warn("refused a stream: not a counterpart", "proto", proto, "peer", p)
			s.Reset()
			return
		}
		if old := h.streams.take(p, s); old != nil {
			h.cfg.Logger.Warn("closed a peer's oldest stream: it opened too many at once", "proto", old.Protocol(), "peer", p, "max", MaxStreamsPerPeer)
			old.Reset()
		}
		defer h.streams.give(p, s)
		defer func() {
			if r := recover(); r != nil {
				h.cfg.Logger.Error("handler panicked", "proto", proto, "peer", p, "panic", r, "stack", string(debug.Stack()))
				s.Reset()
			}
		}()
		// The protocol labels the handler's goroutines in CPU profiles:
		// which side of a sync spends what (docs/architecture.md).
		pprof.Do(h.ctx, pprof.Labels("proto", string(proto)), func(ctx context.Context) { handler(ctx, s) })
	})
}

// Unhandle stops serving proto.
func (h *Host) Unhandle(proto protocol.ID) { h.h.RemoveStreamHandler(proto) }
