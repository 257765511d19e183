package reach

import (
	"context"
	"time"

	"github.com/libp2p/go-libp2p/core/event"
	"github.com/libp2p/go-libp2p/core/host"
)

// Announcing keeps a node findable: how often it announces again while
// nothing changes (provider records live a day in the public DHT, the
// addresses kept with them less), and how long it lets a burst of address
// changes settle first.
const (
	ReannounceEvery = 10 * time.Minute
	settle          = 2 * time.Second
	retryEvery      = 15 * time.Second
)

// RunAnnouncer announces d's keys when the node starts, whenever its
// addresses change (a new relay reservation, a new observed address, a
// new network) and every ReannounceEvery, until ctx ends. kick announces
// at once (a new contract). report, if set, sees each round's result.
func RunAnnouncer(ctx context.Context, h host.Host, d *DHT, kick <-chan struct{}, report func(int, error)) {
	sub, err := h.EventBus().Subscribe(new(event.EvtLocalAddressesUpdated))
	if err != nil {
		return
	}
	defer sub.Close()
	next := time.NewTimer(settle)
	defer next.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-sub.Out():
			next.Reset(settle)
			continue
		case <-kick:
			next.Reset(0)
			continue
		case <-next.C:
		}
		n, err := d.Announce(ctx)
		if report != nil {
			report(n, err)
		}
		if err != nil && ctx.Err() == nil {
			next.Reset(retryEvery)
		} else {
			next.Reset(ReannounceEvery)
		}
	}
}
