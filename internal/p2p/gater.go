package p2p

import (
	"log/slog"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/control"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/workdiary/workdiary/internal/clock"
)

// Allower says which peers may hold a connection: in Workdiary, the peers
// that share a contract with this installation. It is asked on every dial
// and every new connection, so it must be fast and must not block.
type Allower interface {
	Allowed(peer.ID) bool
}

// AllowFunc adapts a function to Allower.
type AllowFunc func(peer.ID) bool

// Allowed calls f.
func (f AllowFunc) Allowed(p peer.ID) bool { return f(p) }

// AnyPeer as the peer of ExpectPairing admits the first unknown peer that
// connects, for an invite handed out before the contractor's peer ID is
// known. It admits inbound connections only: we never dial "anyone".
const AnyPeer peer.ID = ""

// denyLogEvery limits how often one peer's refusals are logged, so a peer
// that keeps knocking cannot flood the log.
const denyLogEvery = time.Minute

// gate is the connection gater. It decides once the peer is authenticated
// (InterceptSecured, both directions) and before dialing (InterceptPeerDial),
// and never on addresses: who the peer is matters, not where it is.
type gate struct {
	allow  Allower
	clock  clock.Clock
	logger *slog.Logger
	relays map[peer.ID]bool // static relays: infrastructure, not counterparts
	// open admits every peer at the connection level, for a host that
	// reaches the internet (Config.Reach): the DHT, relays and AutoNAT's
	// dial-back are strangers. Handle still serves only counterparts.
	open bool

	mu       sync.Mutex
	tickets  map[peer.ID]time.Time // pairing: peer (or AnyPeer) → until
	lastLog  map[peer.ID]time.Time
	refusals atomic.Uint64
}

func newGate(allow Allower, c clock.Clock, logger *slog.Logger, relays []peer.ID) *gate {
	g := &gate{allow: allow, clock: c, logger: logger, relays: map[peer.ID]bool{},
		tickets: map[peer.ID]time.Time{}, lastLog: map[peer.ID]time.Time{}}
	for _, r := range relays {
		g.relays[r] = true
	}
	return g
}

var _ interface {
	InterceptPeerDial(peer.ID) bool
	InterceptAddrDial(peer.ID, ma.Multiaddr) bool
	InterceptAccept(network.ConnMultiaddrs) bool
	InterceptSecured(network.Direction, peer.ID, network.ConnMultiaddrs) bool
	InterceptUpgraded(network.Conn) (bool, control.DisconnectReason)
} = (*gate)(nil)

// expect issues (or replaces) a pairing ticket.
func (g *gate) expect(p peer.ID, until time.Time) {
	g.mu.Lock()
	defer g.mu.Unlock()
	g.tickets[p] = until
}

// cancel withdraws a pairing ticket.
func (g *gate) cancel(p peer.ID) {
	g.mu.Lock()
	defer g.mu.Unlock()
	delete(g.tickets, p)
}

// known is true for peers admitted without a ticket.
func (g *gate) known(p peer.ID) bool {
	return g.relays[p] || (g.allow != nil && g.allow.Allowed(p))
}

// mayDial reports whether we may dial p, without consuming a ticket.
func (g *gate) mayDial(p peer.ID) bool {
	if g.open || g.known(p) {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	until, ok := g.tickets[p]
	return ok && g.clock.Now().Before(until)
}

// admit decides on an authenticated connection and consumes the ticket
// that admitted an unknown peer, so the ticket admits exactly one
// connection. The connection then lives on; the consumer allows the peer
// for good (through Allower) once pairing succeeded.
func (g *gate) admit(dir network.Direction, p peer.ID) bool {
	if g.known(p) {
		return true
	}
	if g.open {
		return true
	}
	g.mu.Lock()
	defer g.mu.Unlock()
	now := g.clock.Now()
	for _, key := range []peer.ID{p, AnyPeer} {
		until, ok := g.tickets[key]
		if !ok || (key == AnyPeer && dir != network.DirInbound) {
			continue
		}
		delete(g.tickets, key)
		if now.Before(until) {
			return true
		}
	}
	return false
}

func (g *gate) InterceptPeerDial(p peer.ID) bool {
	if g.mayDial(p) {
		return true
	}
	g.refuse(network.DirOutbound, p)
	return false
}

func (g *gate) InterceptAddrDial(peer.ID, ma.Multiaddr) bool { return true }

func (g *gate) InterceptAccept(network.ConnMultiaddrs) bool { return true }

func (g *gate) InterceptSecured(dir network.Direction, p peer.ID, _ network.ConnMultiaddrs) bool {
	if g.admit(dir, p) {
		return true
	}
	g.refuse(dir, p)
	return false
}

func (g *gate) InterceptUpgraded(network.Conn) (bool, control.DisconnectReason) { return true, 0 }

// refuse counts a refusal and logs it, at most once a minute per peer.
func (g *gate) refuse(dir network.Direction, p peer.ID) {
	g.refusals.Add(1)
	g.mu.Lock()
	now := g.clock.Now()
	last, seen := g.lastLog[p]
	quiet := seen && now.Sub(last) < denyLogEvery
	if !quiet {
		if len(g.lastLog) > 1024 {
			clear(g.lastLog)
		}
		g.lastLog[p] = now
	}
	g.mu.Unlock()
	if !quiet && g.logger != nil {
		g.logger.Warn("refused a connection: no shared contract and no pending invite", "direction", dir, "peer", p)
	}
}
