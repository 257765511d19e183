package node

import (
	"context"
	"time"
)

// SetIdleTimeout shortens the compositor's idle timeout for a test.
func SetIdleTimeout(d time.Duration) (restore func()) {
	old := idleTimeout
	idleTimeout = d
	return func() { idleTimeout = old }
}

// RestartNetworkSamePort stops the host and starts it again on the
// addresses it listened on: the bench employer's host then has the
// limits of the contracts offered since it started (p2p.LimitsFor), and
// the invites it handed out still reach it.
func (n *Node) RestartNetworkSamePort(ctx context.Context) error {
	addrs := n.advertiseAddrs()
	n.stopNetwork()
	return n.StartNetwork(ctx, NetOptions{Listen: addrs})
}
