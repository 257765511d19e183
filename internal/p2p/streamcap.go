package p2p

import (
	"sync"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// MaxStreamsPerPeer bounds the Workdiary protocol handlers one peer runs
// at once. A sync needs two (the round and its images), a pull racing a
// push two more; each may hold one frame of up to its protocol's cap, so
// this bounds what one peer can make the node hold. A peer that opens one
// more loses its oldest: a stream left stalled gives way to new work, and
// a flood of streams cannot grow the node's memory.
const MaxStreamsPerPeer = 8

// streamCount tracks the handlers running per peer, oldest first.
type streamCount struct {
	mu sync.Mutex
	by map[peer.ID][]network.Stream
}

// take counts s for p, and returns the stream it pushes out, if any.
func (c *streamCount) take(p peer.ID, s network.Stream) network.Stream {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.by == nil {
		c.by = map[peer.ID][]network.Stream{}
	}
	var oldest network.Stream
	if list := c.by[p]; len(list) >= MaxStreamsPerPeer {
		oldest, c.by[p] = list[0], list[1:]
	}
	c.by[p] = append(c.by[p], s)
	return oldest
}

func (c *streamCount) give(p peer.ID, s network.Stream) {
	c.mu.Lock()
	defer c.mu.Unlock()
	list := c.by[p]
	for i, x := range list {
		if x == s {
			list = append(list[:i:i], list[i+1:]...)
			break
		}
	}
	if len(list) == 0 {
		delete(c.by, p)
	} else {
		c.by[p] = list
	}
}

// mayUse says whether p may open proto: every admitted peer may pair;
// while an offer is open (Allow) a guest may also greet with a sync that
// carries its acceptance, which the handler checks; the rest is for
// parties.
func (h *Host) mayUse(proto protocol.ID, p peer.ID) bool {
	switch proto {
	case ProtoPair:
		return true
	case ProtoSync:
		return h.cfg.Allow != nil && h.cfg.Allow.Allowed(p)
	}
	return h.isParty(p)
}

// isParty is Config.Parties, or Allow where Parties is not set.
func (h *Host) isParty(p peer.ID) bool {
	switch {
	case h.cfg.Parties != nil:
		return h.cfg.Parties.Allowed(p)
	case h.cfg.Allow != nil:
		return h.cfg.Allow.Allowed(p)
	}
	return false
}
