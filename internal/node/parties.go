package node

import (
	"sync"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
)

// partySet is who the host's gates admit: the counterparts of the
// contracts, and the offers that may still be accepted.
type partySet struct {
	peers  map[peer.ID]bool
	offers []*contract.Contract // employer's offers not yet accepted
}

// partyCache keeps the partySet until the store commits anything. The
// gates ask on every connection and stream; listing an agency's thousand
// contracts and turning each key into a peer ID every time made a
// thousand contractors syncing at once cost the employer time that grew
// with the square of the team (P8).
type partyCache struct {
	mu      sync.Mutex
	commits uint64
	set     *partySet
}

func (pc *partyCache) get(n *Node) (*partySet, error) {
	commits := n.store.Commits() // before reading: a commit meanwhile makes the next call read again
	pc.mu.Lock()
	defer pc.mu.Unlock()
	if pc.set != nil && pc.commits == commits {
		return pc.set, nil
	}
	cs, err := n.Contracts().List()
	if err != nil {
		return nil, err
	}
	set := &partySet{peers: make(map[peer.ID]bool, len(cs))}
	for _, c := range cs {
		if c.Role == contract.RoleEmployer && c.State == contract.StateOffered {
			set.offers = append(set.offers, c)
		}
		if cp := c.Counterpart(); cp.PublicKey != nil {
			set.peers[identity.PeerIDOf(cp.PublicKey)] = true
		}
	}
	pc.set, pc.commits = set, commits
	return set, nil
}
