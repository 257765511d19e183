package contract

import (
	"crypto/sha256"
	"slices"
	"sync"
)

// verified remembers contracts whose stored bytes were already decoded and
// whose signatures checked out, keyed by the hash of those exact bytes:
// the sync answers every image request after checking the contract, and
// re-verifying three Ed25519 signatures each time cost more than sending
// the image. Same bytes, same result, so a changed or damaged record is
// a miss and is verified afresh.
var verified = verifiedCache{max: 4096} // an agency's thousand contracts, and room

type verifiedCache struct {
	mu  sync.Mutex
	max int
	m   map[[32]byte]*Contract
}

func storedKey(key string, v []byte) [32]byte {
	h := sha256.New()
	h.Write([]byte(key))
	h.Write([]byte{0})
	h.Write(v)
	return [32]byte(h.Sum(nil))
}

// get returns a copy of the cached contract: callers change State, End and
// the lifecycle on what they get before saving it.
func (c *verifiedCache) get(k [32]byte) (*Contract, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	hit, ok := c.m[k]
	if !ok {
		return nil, false
	}
	return hit.clone(), true
}

func (c *verifiedCache) put(k [32]byte, ct *Contract) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.m == nil || len(c.m) >= c.max {
		c.m = map[[32]byte]*Contract{} // more than the largest team: start over
	}
	c.m[k] = ct.clone()
}

// clone copies the contract's own fields; the signed records it points to
// are never modified once decoded.
func (c *Contract) clone() *Contract {
	cp := *c
	cp.bound, cp.proposed = slices.Clone(c.bound), slices.Clone(c.proposed)
	if c.Life != nil {
		cp.Life = c.Life.clone()
	}
	return &cp
}
