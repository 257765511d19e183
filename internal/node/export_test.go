package node

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/syncp2p"
	"github.com/workdiary/workdiary/internal/syncstore"
)

// SetIdleTimeout shortens the compositor's idle timeout for a test.
func SetIdleTimeout(d time.Duration) (restore func()) {
	old := idleTimeout
	idleTimeout = d
	return func() { idleTimeout = old }
}

// SwapReceiver replaces the receiving side of the running network's sync
// service with wrap of it (a test that cuts a round, or answers as a
// dishonest employer would); call it before any sync of the node.
func (n *Node) SwapReceiver(wrap func(*syncstore.Adapter) syncp2p.Receiver) {
	nw := n.network()
	nw.svc.Receiver = wrap(n.side)
}

// CutPeer closes the running network's connections to p.
func (n *Node) CutPeer(p peer.ID) error { return n.network().host.Libp2p().Network().ClosePeer(p) }

// PeerID is the network's own peer ID.
func (n *Node) PeerID() peer.ID { return n.network().host.ID() }

// RestartNetworkSamePort stops the host and starts it again on the
// addresses it listened on: the bench employer's host then has the
// limits of the contracts offered since it started (p2p.LimitsFor), and
// the invites it handed out still reach it.
func (n *Node) RestartNetworkSamePort(ctx context.Context) error {
	addrs := n.advertiseAddrs()
	n.stopNetwork()
	return n.StartNetwork(ctx, NetOptions{Listen: addrs})
}
