package node

import (
	"context"
	"encoding/hex"
	"encoding/json"

	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/store"
)

// NetcheckParams are the parameters of OpNetcheck.
type NetcheckParams struct {
	// Wait is how long a node that starts its network for the check
	// waits for AutoNAT's verdict; a running owner answers at once.
	Wait time.Duration `json:"wait"`
}

// NetReport is `workdiary netcheck`: where this node stands, and how each
// counterpart was last reached.
type NetReport struct {
	p2p.NetStatus
	LocalOnly    bool          `json:"local_only"` // WORKDIARY_LOCAL_ONLY: loopback only
	DHTPeers     int           `json:"dht_peers"`
	Counterparts []Counterpart `json:"counterparts"`
}

// Counterpart is one contract's other party as the network sees it.
type Counterpart struct {
	Contract string `json:"contract"`
	Title    string `json:"title"`
	Role     string `json:"role"`
	Peer     string `json:"peer,omitempty"`
	// Path is how it is reached now (p2p.Path*; "" when not connected).
	Path string `json:"path"`
	// LastPath and LastReached are the path of the last good sync, also
	// "file" for a log carried as a file.
	LastPath    string    `json:"last_path,omitempty"`
	LastReached time.Time `json:"last_reached,omitempty"`
}

// Netcheck reports reachability, addresses, NAT behaviour, DHT peers and
// each counterpart's path. A node without a running network starts one
// and waits up to p.Wait for AutoNAT to decide.
func (n *Node) Netcheck(ctx context.Context, p NetcheckParams) (NetReport, error) {
	if n.network() == nil {
		if err := n.StartNetwork(ctx, n.UserNetOptions(nil)); err != nil {
			return NetReport{}, err
		}
		n.waitReachability(ctx, p.Wait)
	}
	nw := n.network()
	r := NetReport{NetStatus: nw.host.NetStatus(), LocalOnly: localOnly(), Counterparts: []Counterpart{}}
	if d := nw.reach.DHT(); d != nil {
		r.DHTPeers = d.Peers()
	}
	cs, err := n.Contracts().List()
	if err != nil {
		return r, err
	}
	reached := n.allReached()
	for _, c := range cs {
		cp := Counterpart{Contract: c.ID().String(), Title: c.Offer.Title, Role: c.Role.String()}
		if pk := c.Counterpart().PublicKey; pk != nil {
			id := identity.PeerIDOf(pk)
			cp.Peer, cp.Path = id.String(), nw.host.Path(id)
		}
		if last, ok := reached[c.ID()]; ok {
			cp.LastPath, cp.LastReached = last.Path, last.At
		}
		r.Counterparts = append(r.Counterparts, cp)
	}
	return r, nil
}

// waitReachability waits until AutoNAT has decided, up to d.
func (n *Node) waitReachability(ctx context.Context, d time.Duration) {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if nw := n.network(); nw == nil || nw.host.NetStatus().Reachability != "unknown" {
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-time.After(250 * time.Millisecond):
		}
	}
}

// reached is how a contract's counterpart was reached at its last good
// sync, kept in the store so that `netcheck` can say it later.
type reached struct {
	Path string    `json:"path"`
	At   time.Time `json:"at"`
}

const reachedPrefix = "reach/last/"

func reachedKey(id contract.ID) []byte { return []byte(reachedPrefix + hex.EncodeToString(id[:])) }

// pathTo is how contract id's counterpart is reached now: its live
// connection's path, or a file when there is none.
func (n *Node) pathTo(id contract.ID) string {
	nw, cp := n.network(), n.counterpartOf(id)
	if nw == nil || cp == "" {
		return p2p.PathFile
	}
	if p := nw.host.Path(cp); p != p2p.PathNotReached {
		return p
	}
	return p2p.PathFile
}

// noteReached records how a good sync of contract id went. A failure to
// write (a full disk) costs only this note.
func (n *Node) noteReached(id contract.ID, path string) {
	b, err := json.Marshal(reached{Path: path, At: n.Clock.Now().UTC()})
	if err != nil {
		return
	}
	_ = n.store.Update(func(x *store.Txn) error { return x.Set(reachedKey(id), b) })
}

// allReached is how every contract's counterpart was last reached, read
// in one scan: the team view asks for a thousand contracts at a time.
func (n *Node) allReached() map[contract.ID]reached {
	out := map[contract.ID]reached{}
	_ = n.store.View(func(x *store.Txn) error {
		return x.Scan([]byte(reachedPrefix), nil, func(k, v []byte) (bool, error) {
			id, err := contract.ParseID(string(k[len(reachedPrefix):]))
			var r reached
			if err == nil && json.Unmarshal(v, &r) == nil {
				out[id] = r
			}
			return true, nil
		})
	})
	return out
}

// counterpartOf is the peer on the other side of a contract, or "".
func (n *Node) counterpartOf(id contract.ID) peer.ID {
	c, err := n.Contracts().Get(id)
	if err != nil || c.Counterpart().PublicKey == nil {
		return ""
	}
	return identity.PeerIDOf(c.Counterpart().PublicKey)
}
