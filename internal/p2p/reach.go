package p2p

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"
	"github.com/libp2p/go-libp2p/p2p/host/autorelay"
	relayv2 "github.com/libp2p/go-libp2p/p2p/protocol/circuitv2/relay"
	ma "github.com/multiformats/go-multiaddr"
)

// autoRelayOptions make a node behind NAT reachable within seconds of
// learning it is: one candidate is enough to start (a small network, or
// the employer's own relay, may offer only one), no boot delay, and a
// relay that refused is asked again after a minute, not an hour.
var autoRelayOptions = []autorelay.Option{
	autorelay.WithMinCandidates(1),
	autorelay.WithBootDelay(0),
	autorelay.WithBackoff(time.Minute),
	autorelay.WithMinInterval(10 * time.Second),
}

// options are the libp2p options of a node that reaches beyond loopback.
func (r *Reach) options(meter *relayMeter) []libp2p.Option {
	var opts []libp2p.Option
	if r.Routing != nil {
		opts = append(opts, libp2p.Routing(func(h host.Host) (routing.PeerRouting, error) { return r.Routing(h) }))
	}
	if r.public() {
		// Its operator says it has a public address; AutoNAT would need
		// other public nodes to agree before the relay service starts.
		opts = append(opts, libp2p.ForceReachabilityPublic())
	}
	switch {
	case len(r.RelayFor) > 0:
		opts = append(opts, libp2p.EnableRelayService(relayv2.WithInfiniteLimits(), relayv2.WithACL(relayACL(r.RelayFor)),
			relayv2.WithMetricsTracer(meter)))
	case r.Helper:
		opts = append(opts, libp2p.EnableRelayService(relayv2.WithMetricsTracer(meter)))
	}
	if r.Helper {
		opts = append(opts, libp2p.EnableNATService())
	}
	return opts
}

// relayACL lets the peers an employer's relay serves reserve slots, and
// anyone open circuits to them, and nothing else: strangers get nothing
// from it.
type relayACL []peer.ID

func (a relayACL) AllowReserve(p peer.ID, _ ma.Multiaddr) bool { return slices.Contains(a, p) }

func (a relayACL) AllowConnect(_ peer.ID, _ ma.Multiaddr, dest peer.ID) bool {
	return slices.Contains(a, dest)
}

// ErrRelayedOnly: the only way to the peer is a public relay, whose
// limits (about two minutes and 128 KiB a connection) cannot carry a log
// and its screenshots.
// The command line and the window say what to do about it (an own relay,
// or the log carried as a file), each in its own words.
var ErrRelayedOnly = errors.New("the counterpart is reachable only through a public relay, which carries too little for a sync: " +
	"hole punching between your two networks did not succeed")

// directWait bounds how long a stream waits for hole punching to turn a
// relayed connection into a direct one; retryPunch is how long one punch
// may take before the relayed connection is made anew, which makes the
// other side punch again (its first try may come before this side's
// hole punching service has started, or cross an unlucky packet).
const (
	directWait = 30 * time.Second
	retryPunch = 3 * time.Second
)

// direct waits until p is reached by a connection without a relay's
// limits: a direct one (hole punching runs on its own once a relayed
// connection stands) or one through an unlimited relay (the employer's
// own).
func (h *Host) direct(ctx context.Context, p peer.ID) error {
	if h.cfg.Reach == nil || h.unlimited(p) {
		return nil
	}
	deadline := time.Now().Add(directWait)
	retry := time.Now().Add(retryPunch)
	for time.Now().Before(deadline) {
		if h.unlimited(p) {
			return nil
		}
		if time.Now().After(retry) {
			// A relayed connection that drops while a punch fails is
			// made again on the next round; only the deadline decides.
			_ = h.h.Network().ClosePeer(p)
			_ = h.Connect(ctx, p)
			retry = time.Now().Add(retryPunch)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return ErrRelayedOnly
}

// unlimited reports whether a live connection to p is free of relay limits.
func (h *Host) unlimited(p peer.ID) bool {
	for _, c := range h.h.Network().ConnsToPeer(p) {
		if !c.IsClosed() && !c.Stat().Limited {
			return true
		}
	}
	return false
}
