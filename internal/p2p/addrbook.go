package p2p

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"
	manet "github.com/multiformats/go-multiaddr/net"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/store"
)

// addrPrefix is the key prefix of the address book in the store; the key
// of a peer's addresses is addrPrefix + its peer ID.
const addrPrefix = "p2p/addrs/"

const (
	// DefaultAddrMaxAge is how long an address not seen again is kept:
	// long enough to outlast a holiday, short enough that a laptop's old
	// café addresses do not pile up.
	DefaultAddrMaxAge = 30 * 24 * time.Hour
	// maxAddrsPerPeer keeps the most recently seen addresses of a peer.
	maxAddrsPerPeer = 16
	// maxAddrRecord bounds what is decoded from the store.
	maxAddrRecord = 64 << 10
)

// AddrBook keeps the addresses at which each peer was last reachable, with
// when each was last seen, so a counterpart can be found after a restart
// even when the invite's addresses have gone stale.
type AddrBook struct {
	st     *store.Store
	clock  clock.Clock
	MaxAge time.Duration
}

// addrSeen is one stored address.
type addrSeen struct {
	Addr string    `json:"addr"`
	Seen time.Time `json:"seen"`
}

// NewAddrBook keeps addresses in st.
func NewAddrBook(st *store.Store, c clock.Clock) *AddrBook {
	if c == nil {
		c = clock.Real{}
	}
	return &AddrBook{st: st, clock: c, MaxAge: DefaultAddrMaxAge}
}

func addrKey(p peer.ID) []byte { return []byte(addrPrefix + p.String()) }

// Remember records addrs as seen now for p. Addresses that name no
// reachable place (unspecified, link-local) are skipped; a trailing /p2p/
// component is dropped, since the key names the peer.
func (b *AddrBook) Remember(p peer.ID, addrs ...ma.Multiaddr) error {
	now := b.clock.Now().UTC()
	var fresh []addrSeen
	for _, a := range addrs {
		if a = usable(a, p); a != nil {
			fresh = append(fresh, addrSeen{Addr: a.String(), Seen: now})
		}
	}
	if len(fresh) == 0 {
		return nil
	}
	merge := func(tx *store.Txn) error {
		old, err := b.get(tx, p)
		if err != nil {
			return err
		}
		return b.put(tx, p, append(fresh, old...))
	}
	// Connections to one peer come and go together (TCP and QUIC at
	// once): a lost race is retried, not reported.
	if err := b.st.UpdateRetrying(merge); err != nil {
		return fmt.Errorf("remember addresses of %s: %w", p, err)
	}
	return nil
}

// Addrs returns p's stored addresses, most recently seen first, without
// those older than MaxAge.
func (b *AddrBook) Addrs(p peer.ID) ([]ma.Multiaddr, error) {
	var list []addrSeen
	err := b.st.View(func(tx *store.Txn) error {
		var err error
		list, err = b.get(tx, p)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("addresses of %s: %w", p, err)
	}
	return parseSeen(b.prune(list)), nil
}

// Load returns every peer's addresses and deletes what has gone stale.
// The deleting is housekeeping: on a disk that takes no writes (nearly
// full, read-only) it waits for a later Load, and the addresses are
// returned all the same.
func (b *AddrBook) Load() (map[peer.ID][]ma.Multiaddr, error) {
	all := map[peer.ID][]ma.Multiaddr{}
	stale := map[peer.ID]bool{}
	err := b.st.View(func(tx *store.Txn) error {
		return tx.Scan([]byte(addrPrefix), nil, func(k, v []byte) (bool, error) {
			p, err := peer.Decode(string(k[len(addrPrefix):]))
			if err != nil {
				return true, nil // not ours to interpret: left alone
			}
			list, derr := decodeAddrs(v)
			kept := b.prune(list)
			if derr != nil || len(kept) != len(list) {
				stale[p] = true
			}
			if len(kept) > 0 {
				all[p] = parseSeen(kept)
			}
			return true, nil
		})
	})
	if err != nil {
		return nil, fmt.Errorf("load address book: %w", err)
	}
	if len(stale) == 0 {
		return all, nil
	}
	// Read again in the writing transaction: an address remembered since
	// the scan must not be dropped.
	err = b.st.Update(func(tx *store.Txn) error {
		for p := range stale {
			list, err := b.get(tx, p)
			if err != nil {
				return err
			}
			if err := b.put(tx, p, list); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil && !store.IsDiskProblem(err) {
		return nil, fmt.Errorf("load address book: %w", err)
	}
	return all, nil
}

// get reads p's list; a corrupt record reads as empty rather than failing
// the caller, since addresses are only hints.
func (b *AddrBook) get(tx *store.Txn, p peer.ID) ([]addrSeen, error) {
	v, err := tx.Get(addrKey(p))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	list, _ := decodeAddrs(v)
	return list, nil
}

// put stores list after dropping duplicates (keeping the newest sighting),
// stale entries and all but the most recent maxAddrsPerPeer.
func (b *AddrBook) put(tx *store.Txn, p peer.ID, list []addrSeen) error {
	list = b.prune(list)
	if len(list) == 0 {
		return tx.Delete(addrKey(p))
	}
	v, err := json.Marshal(list)
	if err != nil {
		return err
	}
	return tx.Set(addrKey(p), v)
}

func (b *AddrBook) prune(list []addrSeen) []addrSeen {
	sort.SliceStable(list, func(i, j int) bool { return list[i].Seen.After(list[j].Seen) })
	cutoff := b.clock.Now().Add(-b.MaxAge)
	seen := map[string]bool{}
	var out []addrSeen
	for _, a := range list {
		if seen[a.Addr] || a.Seen.Before(cutoff) || len(out) == maxAddrsPerPeer {
			continue
		}
		seen[a.Addr] = true
		out = append(out, a)
	}
	return out
}

// decodeAddrs reads a stored record; entries that are not multiaddrs are
// dropped.
func decodeAddrs(v []byte) ([]addrSeen, error) {
	if len(v) > maxAddrRecord {
		return nil, fmt.Errorf("address record of %d bytes, cap %d", len(v), maxAddrRecord)
	}
	var list []addrSeen
	if err := json.Unmarshal(v, &list); err != nil {
		return nil, fmt.Errorf("address record: %w", err)
	}
	out := list[:0]
	for _, a := range list {
		if _, err := ma.NewMultiaddr(a.Addr); err == nil {
			out = append(out, a)
		}
	}
	return out, nil
}

func parseSeen(list []addrSeen) []ma.Multiaddr {
	out := make([]ma.Multiaddr, 0, len(list))
	for _, a := range list {
		if m, err := ma.NewMultiaddr(a.Addr); err == nil {
			out = append(out, m)
		}
	}
	return out
}

// usable strips a trailing /p2p/p from a and returns nil for addresses
// that cannot be dialed from elsewhere or name another peer.
func usable(a ma.Multiaddr, p peer.ID) ma.Multiaddr {
	if a == nil {
		return nil
	}
	rest, last := ma.SplitLast(a)
	if last != nil && last.Protocol().Code == ma.P_P2P {
		if id, err := peer.IDFromBytes(last.RawValue()); err != nil || id != p {
			return nil
		}
		a = rest
	}
	if len(a) == 0 || manet.IsIPUnspecified(a) || manet.IsIP6LinkLocal(a) {
		return nil
	}
	return a
}
