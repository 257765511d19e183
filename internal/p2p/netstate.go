package p2p

import (
	"sort"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/p2p/protocol/holepunch"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"
)

// Paths a counterpart is reached by, in words the UI maps to sentences.
const (
	PathLAN        = "lan"          // a direct connection on the local network
	PathDirect     = "direct"       // a direct connection across the internet
	PathHolePunch  = "hole-punched" // direct, made by punching through both NATs
	PathRelayed    = "relayed"      // through a relay without limits (the employer's own)
	PathLimited    = "relayed-limited"
	PathFile       = "file" // no connection: a log carried as a file
	PathNotReached = ""
)

// netState is what the host has learnt about its network: whether others
// can reach it, how its NAT maps, and which peers hole punching reached.
type netState struct {
	mu           sync.Mutex
	reachability network.Reachability
	nat          map[string]string // "tcp"/"udp" → "cone"/"symmetric"
	punched      map[peer.ID]time.Time
	relay        *relayMeter // what this node's relay service carries
}

func newNetState() *netState {
	return &netState{nat: map[string]string{}, punched: map[peer.ID]time.Time{}, relay: &relayMeter{}}
}

// Trace is holepunch's event tracer: it notes each peer a punch reached.
func (s *netState) Trace(evt *holepunch.Event) {
	ok := false
	switch e := evt.Evt.(type) {
	case *holepunch.EndHolePunchEvt:
		ok = e.Success
	case *holepunch.DirectDialEvt:
		ok = e.Success
	}
	if ok {
		s.mu.Lock()
		s.punched[evt.Remote] = time.Now()
		s.mu.Unlock()
	}
}

var _ holepunch.EventTracer = (*netState)(nil)

// watchNet follows reachability and NAT type until the host closes.
func (h *Host) watchNet() {
	defer h.wg.Done()
	sub, err := h.h.EventBus().Subscribe([]any{new(event.EvtLocalReachabilityChanged), new(event.EvtNATDeviceTypeChanged)})
	if err != nil {
		return
	}
	defer sub.Close()
	for {
		select {
		case <-h.ctx.Done():
			return
		case ev, ok := <-sub.Out():
			if !ok {
				return
			}
			h.net.mu.Lock()
			switch e := ev.(type) {
			case event.EvtLocalReachabilityChanged:
				h.net.reachability = e.Reachability
			case event.EvtNATDeviceTypeChanged:
				proto := "tcp"
				if e.TransportProtocol == network.NATTransportUDP {
					proto = "udp"
				}
				h.net.nat[proto] = natWord(e.NatDeviceType)
			}
			h.net.mu.Unlock()
		}
	}
}

func natWord(t network.NATDeviceType) string {
	switch t {
	case network.NATDeviceTypeEndpointIndependent:
		return "cone"
	case network.NATDeviceTypeEndpointDependent:
		return "symmetric"
	}
	return "unknown"
}

// NetStatus is what the host knows of its place on the network.
type NetStatus struct {
	// Reachability: "public" (others can dial it), "private" (behind NAT
	// or a firewall), or "unknown" (AutoNAT has not decided yet).
	Reachability string            `json:"reachability"`
	PublicAddrs  []string          `json:"public_addrs"` // direct addresses others may dial
	RelayAddrs   []string          `json:"relay_addrs"`  // addresses through relay reservations
	NAT          map[string]string `json:"nat,omitempty"`
	// Relay is what this node's relay service (serve --relay or
	// --public) has carried; absent on a node that relays for nobody.
	Relay *RelayService `json:"relay_service,omitempty"`
}

// NetStatus reports reachability, addresses and NAT behaviour.
func (h *Host) NetStatus() NetStatus {
	h.net.mu.Lock()
	st := NetStatus{Reachability: reachWord(h.net.reachability), NAT: map[string]string{}, Relay: h.net.relay.service()}
	for k, v := range h.net.nat {
		st.NAT[k] = v
	}
	h.net.mu.Unlock()
	st.PublicAddrs, st.RelayAddrs = []string{}, []string{}
	for _, a := range h.h.Addrs() {
		switch {
		case isRelayed(a):
			st.RelayAddrs = append(st.RelayAddrs, a.String())
		case manet.IsPublicAddr(a):
			st.PublicAddrs = append(st.PublicAddrs, a.String())
		}
	}
	sort.Strings(st.PublicAddrs)
	sort.Strings(st.RelayAddrs)
	if h.cfg.Reach != nil && h.cfg.Reach.public() {
		st.Reachability = "public"
	}
	return st
}

func reachWord(r network.Reachability) string {
	switch r {
	case network.ReachabilityPublic:
		return "public"
	case network.ReachabilityPrivate:
		return "private"
	}
	return "unknown"
}

func isRelayed(a ma.Multiaddr) bool {
	_, err := a.ValueForProtocol(ma.P_CIRCUIT)
	return err == nil
}

// Path says how p is reached now: over the local network, directly,
// through a punched hole, through a relay, or not at all.
func (h *Host) Path(p peer.ID) string {
	best := PathNotReached
	for _, c := range h.h.Network().ConnsToPeer(p) {
		if c.IsClosed() {
			continue
		}
		path := h.pathOf(p, c)
		if rank(path) > rank(best) {
			best = path
		}
	}
	return best
}

func (h *Host) pathOf(p peer.ID, c network.Conn) string {
	remote := c.RemoteMultiaddr()
	switch {
	case c.Stat().Limited:
		return PathLimited
	case isRelayed(remote):
		return PathRelayed
	case !manet.IsPublicAddr(remote):
		return PathLAN
	}
	h.net.mu.Lock()
	_, punched := h.net.punched[p]
	h.net.mu.Unlock()
	if punched {
		return PathHolePunch
	}
	return PathDirect
}

// rank orders paths from worst to best.
func rank(path string) int {
	switch path {
	case PathLimited:
		return 1
	case PathRelayed:
		return 2
	case PathDirect, PathHolePunch:
		return 3
	case PathLAN:
		return 4
	}
	return 0
}
