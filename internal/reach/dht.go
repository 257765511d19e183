package reach

import (
	"context"
	"fmt"
	"time"

	"github.com/ipfs/go-cid"
	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/host"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/routing"
)

// Keys names the rendezvous keys of a node's contracts: all of them
// (which this node announces itself under), or those shared with one
// counterpart (under which it looks that counterpart up).
type Keys interface {
	Own() []cid.Cid
	With(peer.ID) []cid.Cid
}

// DHT is this node's part in the DHT. An installation is a client: it
// asks and announces, and answers nobody's queries. A public helper node
// (`serve --public`) is a server.
type DHT struct {
	kad  *dht.IpfsDHT
	keys Keys
}

// NewDHT joins the DHT through bootstrap. keys may be nil for a helper
// node, which announces nothing.
func NewDHT(h host.Host, server bool, bootstrap []peer.AddrInfo, keys Keys) (*DHT, error) {
	mode := dht.ModeClient
	if server {
		mode = dht.ModeServer
	}
	kad, err := dht.New(h, dht.Mode(mode), dht.BootstrapPeers(bootstrap...))
	if err != nil {
		return nil, fmt.Errorf("join the DHT: %w", err)
	}
	return &DHT{kad: kad, keys: keys}, nil
}

// Close leaves the DHT.
func (d *DHT) Close() error { return d.kad.Close() }

// Peers is how many peers the DHT's routing table holds.
func (d *DHT) Peers() int { return d.kad.RoutingTable().Size() }

// RoutingPeers are the peers of the routing table, candidates for relays.
func (d *DHT) RoutingPeers() []peer.ID { return d.kad.RoutingTable().ListPeers() }

// Bootstrap refreshes the routing table now.
func (d *DHT) Bootstrap(ctx context.Context) error { return d.kad.Bootstrap(ctx) }

var _ routing.PeerRouting = (*DHT)(nil)

// FindPeer looks a counterpart up under the keys of the contracts shared
// with it, then, as a last resort, by its peer ID alone (which finds
// only nodes that serve the DHT themselves).
func (d *DHT) FindPeer(ctx context.Context, p peer.ID) (peer.AddrInfo, error) {
	if d.keys != nil {
		for _, k := range d.keys.With(p) {
			if ai, ok := d.lookup(ctx, k, p); ok {
				return ai, nil
			}
		}
	}
	return d.kad.FindPeer(ctx, p)
}

// lookupTimeout bounds one key's lookup.
const lookupTimeout = 20 * time.Second

func (d *DHT) lookup(ctx context.Context, k cid.Cid, p peer.ID) (peer.AddrInfo, bool) {
	ctx, cancel := context.WithTimeout(ctx, lookupTimeout)
	defer cancel()
	for ai := range d.kad.FindProvidersAsync(ctx, k, 8) {
		if ai.ID == p && len(ai.Addrs) > 0 {
			return ai, true
		}
	}
	return peer.AddrInfo{}, false
}

// Announce puts this node's current addresses under every key it owns.
// It reports how many keys were announced.
func (d *DHT) Announce(ctx context.Context) (int, error) {
	if d.keys == nil {
		return 0, nil
	}
	n := 0
	var first error
	for _, k := range d.keys.Own() {
		if err := d.kad.Provide(ctx, k, true); err != nil {
			if first == nil {
				first = fmt.Errorf("announce under %s: %w", k, err)
			}
			continue
		}
		n++
	}
	return n, first
}
