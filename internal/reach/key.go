package reach

import (
	"crypto/sha256"

	"github.com/ipfs/go-cid"
	mh "github.com/multiformats/go-multihash"
)

// keyDomain separates Workdiary's rendezvous keys from every other hash.
const keyDomain = "workdiary rendezvous v1\x00"

// Key is where the parties of a contract meet in the DHT: a provider key
// derived from the contract's ID. The ID is the hash of the signed offer,
// which only the parties hold (it travels in the invite), so someone
// watching the DHT sees an opaque key under which one peer announces its
// addresses; he cannot tell it belongs to Workdiary, name the contract or
// link two contracts by their keys.
func Key(contract [32]byte) cid.Cid {
	h := sha256.New()
	h.Write([]byte(keyDomain))
	h.Write(contract[:])
	digest, err := mh.Encode(h.Sum(nil), mh.SHA2_256)
	if err != nil {
		panic(err) // SHA2_256 with 32 bytes always encodes
	}
	return cid.NewCidV1(cid.Raw, digest)
}
