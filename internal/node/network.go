package node

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// Topics for the observer, besides identity:created.
const (
	TopicContractsChanged = "contracts:changed"
	TopicSyncChanged      = "sync:changed"
	TopicSyncProgress     = "sync:progress"
	TopicDiaryChanged     = "diary:changed"
)

// NetOptions say how the node joins the network. Tests switch discovery
// and NAT traversal off and listen on loopback only.
type NetOptions struct {
	Listen       []string // multiaddrs; empty: TCP and QUIC on the configured port
	MDNS         bool
	UPnP         bool
	HolePunching bool
	Relays       []string
	// Reach joins the DHT and the NAT traversal machinery (see reach.go);
	// nil keeps the node to the addresses it knows.
	Reach *ReachOptions
	err   error // a setting that makes no sense, reported by StartNetwork
}

// EnvLocalOnly, when set, keeps the node off the wider network: no DHT,
// mDNS, UPnP, relays or hole punching. Tests and the demo set it, so that
// they touch nothing but loopback.
const EnvLocalOnly = "WORKDIARY_LOCAL_ONLY"

// UserNetOptions are a user's defaults: the DHT, discovery and NAT
// traversal on, as the settings say (and off under WORKDIARY_LOCAL_ONLY).
func (n *Node) UserNetOptions(listen []string) NetOptions {
	cfg := n.Config()
	if localOnly() {
		if len(listen) == 0 {
			listen = []string{fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", cfg.ListenPort),
				fmt.Sprintf("/ip4/127.0.0.1/udp/%d/quic-v1", cfg.ListenPort)}
		}
		return NetOptions{Listen: listen}
	}
	r, err := userReach(cfg)
	return NetOptions{Listen: listen, MDNS: !cfg.DisableMDNS, UPnP: !cfg.DisableUPnP, HolePunching: true, Relays: cfg.Relays, Reach: r, err: err}
}

func localOnly() bool { return os.Getenv(EnvLocalOnly) != "" }

type network struct {
	host  *p2p.Host
	svc   *syncp2p.Service
	reach *reachState // nil without Reach
}

// StartNetwork starts the node's libp2p host and serves the sync
// protocols until ctx ends or Close.
func (n *Node) StartNetwork(ctx context.Context, o NetOptions) error {
	if o.err != nil {
		return fmt.Errorf("start the network: %w", o.err)
	}
	id, err := n.Identity()
	if err != nil {
		return err
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.net != nil {
		return nil
	}
	listen := o.Listen
	if len(listen) == 0 {
		listen = p2p.DefaultListenAddrs(n.cfg.ListenPort)
	}
	rs := newReachState(n, o.Reach)
	// The host's limits grow with the contracts (an agency's thousand
	// contractors may all sync at once); ones made after this start share
	// the headroom until the network starts again.
	cs, err := n.Contracts().List()
	if err != nil {
		return fmt.Errorf("start the network: %w", err)
	}
	h, err := p2p.New(ctx, p2p.Config{Key: id.Libp2pKey(), ListenAddrs: listen, MDNS: o.MDNS, UPnP: o.UPnP, Limits: p2p.LimitsFor(len(cs) + len(cs)/4),
		HolePunching: o.HolePunching, Relays: o.Relays, Allow: p2p.AllowFunc(n.allowed), Parties: p2p.AllowFunc(n.isParty), Store: n.store, Clock: n.Clock,
		Logger: n.log, Reach: rs.p2pConfig()})
	if err != nil {
		return fmt.Errorf("start the network: %w", err)
	}
	rs.start(h)
	side := n.side
	svc := &syncp2p.Service{Host: h, Sender: side, Receiver: side, Clock: n.Clock, Logger: n.log,
		OnReceived: func(contract.ID, uint64) { n.announce(TopicSyncChanged, nil) }}
	svc.Register()
	h.OnPeer(func(peer.ID, bool) { n.announce(TopicSyncChanged, nil) })
	n.net = &network{host: h, svc: svc, reach: rs}
	n.log.Info("network started", "peer", h.ID(), "addrs", h.Libp2p().Addrs(), "reach", o.Reach != nil)
	return nil
}

func (n *Node) network() *network {
	n.mu.RLock()
	defer n.mu.RUnlock()
	return n.net
}

func (n *Node) stopNetwork() {
	n.mu.Lock()
	nw := n.net
	n.net = nil
	n.mu.Unlock()
	if nw != nil {
		nw.reach.stop()
		_ = nw.host.Close()
	}
}

// allowed admits counterparts of this installation's contracts, and
// anyone while an offer is open: a contractor accepting an invite is not
// known before it connects, and can do nothing but deliver the acceptance
// (every other protocol checks the contract's parties).
func (n *Node) allowed(p peer.ID) bool { return n.party(p, true) }

// isParty admits counterparts only: the peers that may use the sync and
// image protocols. A pairing guest proves the invite's secret on the
// pairing protocol before it becomes one.
func (n *Node) isParty(p peer.ID) bool { return n.party(p, false) }

func (n *Node) party(p peer.ID, orGuest bool) bool {
	ps, err := n.parties.get(n)
	if err != nil {
		return false
	}
	if ps.peers[p] {
		return true
	}
	now := n.Clock.Now()
	return orGuest && slices.ContainsFunc(ps.offers, func(c *contract.Contract) bool { return c.Open(now) })
}

// advertiseAddrs are addresses a counterpart can dial: the running host's,
// or the configured port on every local interface.
func (n *Node) advertiseAddrs() []string {
	if nw := n.network(); nw != nil {
		var out []string
		for _, a := range nw.host.Libp2p().Addrs() {
			out = append(out, a.String())
		}
		return out
	}
	port := n.Config().ListenPort
	if port == 0 {
		return []string{}
	}
	var out []string
	ifaces, _ := net.InterfaceAddrs()
	for _, a := range ifaces {
		ipn, ok := a.(*net.IPNet)
		if !ok || ipn.IP.IsLinkLocalUnicast() {
			continue
		}
		if ip4 := ipn.IP.To4(); ip4 != nil && (!localOnly() || ip4.IsLoopback()) {
			out = append(out, fmt.Sprintf("/ip4/%s/tcp/%d", ip4, port), fmt.Sprintf("/ip4/%s/udp/%d/quic-v1", ip4, port))
		}
	}
	return out
}

func parseAddrs(addrs []string) []ma.Multiaddr {
	var out []ma.Multiaddr
	for _, s := range addrs {
		if a, err := ma.NewMultiaddr(s); err == nil {
			out = append(out, a)
		}
	}
	return out
}

// SyncState is the last sync of a contract, for the UI and `sync`.
type SyncState struct {
	Contract string    `json:"contract"`
	Title    string    `json:"title"`
	Role     string    `json:"role"`
	Online   bool      `json:"online"`
	Seq      uint64    `json:"seq"`                 // entries the employer holds
	Last     time.Time `json:"last_sync,omitempty"` // the last attempt, good or not
	// LastGood is the last sync that succeeded, kept in the store across
	// restarts (zero: none yet).
	LastGood time.Time `json:"last_good,omitempty"`
	Error    string    `json:"error,omitempty"`
	// Unreachable: the last error was only that the counterpart could
	// not be reached (ErrUnreachable).
	Unreachable bool `json:"unreachable,omitempty"`
	// Refused are entries the employer refused that no void has
	// withdrawn yet.
	Refused []RefusedEntry `json:"refused,omitempty"`
	// Path is how the counterpart is reached now, LastPath how the last
	// good sync went (p2p.Path*: lan, direct, hole-punched, relayed,
	// relayed-limited, file).
	Path     string `json:"path,omitempty"`
	LastPath string `json:"last_path,omitempty"`
}

type syncLog struct {
	mu     sync.Mutex
	states map[contract.ID]SyncState
}

func (n *Node) noteSync(id contract.ID, seq uint64, err error) {
	n.syncs.mu.Lock()
	if n.syncs.states == nil {
		n.syncs.states = map[contract.ID]SyncState{}
	}
	st := n.syncs.states[id]
	st.Contract, st.Last = id.String(), n.Clock.Now()
	if seq > st.Seq {
		st.Seq = seq
	}
	st.Error, st.Unreachable = "", false
	if err != nil {
		st.Error, st.Unreachable = err.Error(), errors.Is(err, ErrUnreachable)
	}
	n.syncs.states[id] = st
	n.syncs.mu.Unlock()
	if err == nil {
		n.noteReached(id, n.pathTo(id))
	}
	n.announce(TopicSyncChanged, nil)
}

// SyncStates reports every contract's last sync and whether its
// counterpart is online.
func (n *Node) SyncStates() ([]SyncState, error) {
	cs, err := n.Contracts().List()
	if err != nil {
		return nil, err
	}
	return n.syncStatesOf(cs, true), nil
}

// syncStatesOf is SyncStates of the contracts cs, with each one's
// standing refusals when refusals is set (the team view shows none).
func (n *Node) syncStatesOf(cs []*contract.Contract, refusals bool) []SyncState {
	nw := n.network()
	out := make([]SyncState, 0, len(cs))
	reached := n.allReached()
	n.syncs.mu.Lock()
	defer n.syncs.mu.Unlock()
	for _, c := range cs {
		st := n.syncs.states[c.ID()]
		st.Contract, st.Title, st.Role = c.ID().String(), c.Offer.Title, c.Role.String()
		if cp := c.Counterpart(); nw != nil && cp.PublicKey != nil {
			id := identity.PeerIDOf(cp.PublicKey)
			st.Online, st.Path = nw.host.Online(id), nw.host.Path(id)
		}
		if last, ok := reached[c.ID()]; ok {
			st.LastPath, st.LastGood = last.Path, last.At
		}
		if refusals {
			st.Refused = n.standingRefusals(c)
		}
		out = append(out, st)
	}
	return out
}

// errNoNetwork: a sync needs the node's host.
var errNoNetwork = errors.New("the network is not running")

func shortErr(err error) string {
	s := err.Error()
	if i := strings.Index(s, "\n"); i > 0 {
		s = s[:i]
	}
	return s
}
