package p2p

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/libp2p/go-libp2p"
	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"
	"github.com/libp2p/go-libp2p/p2p/host/autorelay"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
	"github.com/libp2p/go-libp2p/p2p/net/connmgr"
	"github.com/libp2p/go-libp2p/p2p/protocol/holepunch"
	"github.com/libp2p/go-libp2p/p2p/security/noise"
	libp2ptls "github.com/libp2p/go-libp2p/p2p/security/tls"
	quic "github.com/libp2p/go-libp2p/p2p/transport/quic"
	"github.com/libp2p/go-libp2p/p2p/transport/tcp"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/store"
)

// Config says how to build a Host. The zero value of every switch is off,
// which is what tests want (loopback only, no multicast, no router, no
// third parties); DefaultConfig turns on what a user's installation uses.
type Config struct {
	// Key is the installation's identity key (identity.Libp2pKey).
	Key crypto.PrivKey
	// ListenAddrs are multiaddrs to listen on; empty means
	// DefaultListenAddrs(0).
	ListenAddrs []string

	// MDNS finds counterparts on the local network.
	MDNS bool
	// UPnP asks the home router to forward our port (NAT-PMP/UPnP).
	UPnP bool
	// HolePunching enables the relay client and direct connection upgrade
	// through relays (DCUtR), for peers behind NATs.
	HolePunching bool
	// Relays are static circuit-relay servers (multiaddrs ending in
	// /p2p/ID) used by AutoRelay when we are not reachable. They are
	// admitted by the gate as infrastructure.
	Relays []string

	// Allow says which peers may connect; nil admits only pairing guests
	// and relays.
	Allow Allower
	// Parties says which peers may use the protocols other than pairing
	// (Handle); nil uses Allow. A node admits more peers than parties
	// while one of its offers is open: the contractor who will accept it
	// is not known before it connects.
	Parties Allower
	// Store keeps addresses learned over time; nil keeps them in memory
	// only.
	Store *store.Store
	// Clock decides pairing expiry and address ages (clock.Real).
	Clock clock.Clock
	// Logger receives refusals and handler failures (slog.Default());
	// the host adds component=p2p to its lines.
	Logger *slog.Logger
	// Limits bound what peers may cost us (DefaultLimits()).
	Limits Limits
	// DialTimeout bounds Connect (20 s).
	DialTimeout time.Duration

	// Reach joins the wider internet (see Reach): off in tests and under
	// WORKDIARY_LOCAL_ONLY.
	Reach *Reach
}

// Reach says how a host takes part in the internet beyond its
// counterparts. With it, the host dials anyone (DHT peers, relays,
// AutoNAT servers) and lets anyone connect, because AutoNAT's dial-back
// comes from a stranger's key; the Workdiary protocols still serve only
// counterparts and pairing (see Handle), and the resource manager bounds
// what a stranger can hold. It learns its reachability with AutoNAT,
// reserves relay slots when it is not reachable, and punches holes
// through NATs to upgrade relayed connections to direct ones.
type Reach struct {
	// Routing finds a counterpart whose known addresses fail (the DHT).
	Routing func(host.Host) (routing.PeerRouting, error)
	// RelaySource offers relay candidates (the DHT's peers and the
	// bootstrap peers); nil uses only the static Relays.
	RelaySource autorelay.PeerSource
	// Helper makes the node infrastructure for anyone: an AutoNAT service
	// and a circuit relay with the usual small limits (`serve --public`).
	Helper bool
	// RelayFor makes the node an unlimited circuit relay for these peers
	// only: reservations from them, circuits to them (`serve --relay`).
	RelayFor []peer.ID
}

// public is a node that says it has a public address: a helper or a
// relay, which must not wait for AutoNAT to serve.
func (r *Reach) public() bool { return r != nil && (r.Helper || len(r.RelayFor) > 0) }

// DefaultConfig is a user's installation: TCP and QUIC on port on every
// interface, mDNS, UPnP and hole punching on.
func DefaultConfig(key crypto.PrivKey, port int, allow Allower, st *store.Store) Config {
	return Config{Key: key, ListenAddrs: DefaultListenAddrs(port), MDNS: true, UPnP: true,
		HolePunching: true, Allow: allow, Store: st}
}

// DefaultListenAddrs is TCP and QUIC on port, IPv4 and IPv6. TCP and UDP
// share the number so that a single firewall rule or router forward names
// both.
func DefaultListenAddrs(port int) []string {
	return []string{
		fmt.Sprintf("/ip4/0.0.0.0/tcp/%d", port),
		fmt.Sprintf("/ip4/0.0.0.0/udp/%d/quic-v1", port),
		fmt.Sprintf("/ip6/::/tcp/%d", port),
		fmt.Sprintf("/ip6/::/udp/%d/quic-v1", port),
	}
}

func (c Config) withDefaults() Config {
	if len(c.ListenAddrs) == 0 {
		c.ListenAddrs = DefaultListenAddrs(0)
	}
	if c.Clock == nil {
		c.Clock = clock.Real{}
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	c.Logger = c.Logger.With("component", "p2p")
	if c.DialTimeout <= 0 {
		c.DialTimeout = 20 * time.Second
	}
	c.Limits = c.Limits.withDefaults()
	return c
}

// options are the libp2p options the switches in c call for. Without
// Reach there is no DHT, AutoNAT or relay service: we find counterparts
// by address and mDNS, and serve nobody but them.
func (c Config) options(relays []peer.AddrInfo, ns *netState) []libp2p.Option {
	opts := []libp2p.Option{
		libp2p.Identity(c.Key),
		libp2p.ListenAddrStrings(c.ListenAddrs...),
		libp2p.Transport(tcp.NewTCPTransport),
		libp2p.Transport(quic.NewTransport),
		libp2p.Security(noise.ID, noise.New),
		libp2p.Security(libp2ptls.ID, libp2ptls.New),
		libp2p.UserAgent("workdiary"),
		libp2p.DisableMetrics(),
	}
	if c.HolePunching || len(relays) > 0 || c.Reach != nil {
		opts = append(opts, libp2p.EnableRelay())
	} else {
		opts = append(opts, libp2p.DisableRelay())
	}
	switch {
	case c.Reach != nil && c.Reach.RelaySource != nil && !c.Reach.public() && len(relays) == 0:
		opts = append(opts, libp2p.EnableAutoRelayWithPeerSource(c.Reach.RelaySource, autoRelayOptions...))
	case len(relays) > 0:
		// Configured relays are the employer's own: only those, so that
		// every relay address the node hands out carries a full sync.
		opts = append(opts, libp2p.EnableAutoRelayWithStaticRelays(relays, autoRelayOptions...))
	}
	if c.Reach != nil {
		opts = append(opts, c.Reach.options(ns.relay)...)
	}
	if c.HolePunching || c.Reach != nil {
		opts = append(opts, libp2p.EnableHolePunching(holepunch.WithTracer(ns)))
	}
	if c.UPnP {
		opts = append(opts, libp2p.NATPortMap())
	}
	return opts
}

func parseRelays(list []string) ([]peer.AddrInfo, error) { return ParsePeers("relay", list) }

// ParsePeers parses multiaddrs that end in /p2p/ID, one AddrInfo per
// peer: one relay listed by its TCP and its QUIC address is one
// candidate, and AutoRelay waits for as many candidates as it is given.
func ParsePeers(what string, list []string) ([]peer.AddrInfo, error) {
	out := make([]peer.AddrInfo, 0, len(list))
	at := map[peer.ID]int{}
	for _, s := range list {
		ai, err := peer.AddrInfoFromString(s)
		if err != nil {
			return nil, fmt.Errorf("%s %q: want a multiaddr ending in /p2p/ID: %w", what, s, err)
		}
		if i, ok := at[ai.ID]; ok {
			out[i].Addrs = append(out[i].Addrs, ai.Addrs...)
			continue
		}
		at[ai.ID] = len(out)
		out = append(out, *ai)
	}
	return out, nil
}

// Limits bound the resources peers can make us spend.
type Limits struct {
	// Conns caps all connections; Streams all streams; Memory the bytes
	// the resource manager lets muxers and protocols reserve.
	Conns   int
	Streams int
	Memory  int64
	// PeerStreams caps the streams of one peer.
	PeerStreams int
	// LowWater, HighWater and Grace drive the connection manager, which
	// trims connections other than counterparts' (see Host).
	LowWater, HighWater int
	Grace               time.Duration
}

// DefaultLimits suit a desktop app that talks to a handful of
// counterparts, but must also let one employer sync with 100 contractors
// at once (P8, docs/targets.md): 192 connections leaves room for 100 peers that
// briefly hold both a TCP and a QUIC connection while dialing; 768 streams
// is a few per peer (sync, blob, identify, ping) with headroom; 128 MiB
// bounds muxer windows and buffers so that the whole node stays well under
// P8's 500 MB. 64 streams per peer lets one sync fetch images in parallel
// without letting one peer starve the rest. The connection manager trims
// to 16..64 but never trims a counterpart, so it only reins in relays and
// pairing guests.
func DefaultLimits() Limits {
	return Limits{Conns: 192, Streams: 768, Memory: 128 << 20, PeerStreams: 64,
		LowWater: 16, HighWater: 64, Grace: time.Minute}
}

// LimitsFor are DefaultLimits grown for a node with this many
// counterparts (contracts), such as an agency employing a thousand
// contractors who may all sync at once (P8): per counterpart two
// connections (TCP and QUIC side by side while dialing) and six streams
// (sync, blob, identify, ping and headroom), with DefaultLimits' room for
// relays and guests on top; the muxers' budget grows by 256 KiB a
// counterpart, a stream's first window (the employer's blob stream of a
// round, whose reservation is refused, failing the round, when the budget
// is spent: 96 KiB failed 76 of 1000 rounds, 400 at once), while what
// received images hold is bounded apart (syncp2p.MaxImagesInFlight). A
// node with up to 64 counterparts keeps DefaultLimits.
func LimitsFor(counterparts int) Limits {
	l := DefaultLimits()
	l.Conns = max(l.Conns, 2*counterparts+64)
	l.Streams = max(l.Streams, 6*counterparts+256)
	l.Memory = max(l.Memory, int64(counterparts)*256<<10+64<<20)
	return l
}

func (l Limits) withDefaults() Limits {
	d := DefaultLimits()
	if l.Conns <= 0 {
		l.Conns = d.Conns
	}
	if l.Streams <= 0 {
		l.Streams = d.Streams
	}
	if l.Memory <= 0 {
		l.Memory = d.Memory
	}
	if l.PeerStreams <= 0 {
		l.PeerStreams = d.PeerStreams
	}
	if l.LowWater <= 0 || l.HighWater <= l.LowWater {
		l.LowWater, l.HighWater = d.LowWater, d.HighWater
	}
	if l.Grace <= 0 {
		l.Grace = d.Grace
	}
	return l
}

// resourceManager builds a fixed limiter: libp2p's defaults for services
// and protocols at their base (unscaled) values, with our caps on the
// system, transient and per-peer scopes. Fixed rather than scaled to the
// machine's memory, so behaviour does not vary between users' computers.
func (l Limits) resourceManager() (network.ResourceManager, error) {
	scaling := rcmgr.DefaultLimits
	libp2p.SetDefaultServiceLimits(&scaling)
	base := scaling.Scale(l.Memory, l.Conns+64)
	lim := func(conns, streams int, mem int64) rcmgr.ResourceLimits {
		return rcmgr.BaseLimit{Conns: conns, ConnsInbound: conns, ConnsOutbound: conns,
			Streams: streams, StreamsInbound: streams, StreamsOutbound: streams,
			FD: conns, Memory: mem}.ToResourceLimits()
	}
	partial := rcmgr.PartialLimitConfig{
		System: lim(l.Conns, l.Streams, l.Memory),
		// Transient: connections and streams not yet tied to a peer or
		// protocol, i.e. handshakes in progress.
		Transient: lim(max(l.Conns/4, 8), max(l.Streams/8, 16), l.Memory/8),
	}
	peerLim := base.ToPartialLimitConfig().PeerDefault
	peerLim.Streams, peerLim.StreamsInbound, peerLim.StreamsOutbound = rcmgr.LimitVal(l.PeerStreams),
		rcmgr.LimitVal(l.PeerStreams), rcmgr.LimitVal(l.PeerStreams)
	partial.PeerDefault = peerLim
	// A protocol's streams are bounded by the node's, not by libp2p's
	// default of about 600 inbound: a thousand contractors syncing at
	// once open a thousand sync streams (P8), and past that default the
	// stream was reset before its first frame. Our handlers bound their
	// own work (syncp2p admits 32 rounds at once).
	protoLim := base.ToPartialLimitConfig().ProtocolDefault
	protoLim.Streams, protoLim.StreamsInbound, protoLim.StreamsOutbound = rcmgr.LimitVal(l.Streams),
		rcmgr.LimitVal(l.Streams), rcmgr.LimitVal(l.Streams)
	partial.ProtocolDefault = protoLim
	mgr, err := rcmgr.NewResourceManager(rcmgr.NewFixedLimiter(partial.Build(base)))
	if err != nil {
		return nil, fmt.Errorf("resource manager: %w", err)
	}
	return mgr, nil
}

func (l Limits) connManager() (*connmgr.BasicConnMgr, error) {
	cm, err := connmgr.NewConnManager(l.LowWater, l.HighWater, connmgr.WithGracePeriod(l.Grace))
	if err != nil {
		return nil, fmt.Errorf("connection manager: %w", err)
	}
	return cm, nil
}
