package cose

import (
	"crypto/ed25519"
	"sync"

	voi "github.com/oasisprotocol/curve25519-voi/primitives/ed25519"
)

// stdlibRules makes curve25519-voi accept exactly what crypto/ed25519
// accepts: s below the group order, any point encoding for the key
// (canonical or not, small order or not), R compared by its encoding, and
// the cofactorless equation. A signature that one accepts and the other
// refuses would split what two releases, or a verifier and a signer,
// think is valid; TestVerifyAgreesWithStdlib and FuzzVerifyAgreesWithStdlib
// hold the two to the same answers on the edge cases.
var stdlibRules = &voi.Options{Verify: voi.VerifyOptionsStdLib}

// verifySig reports whether sig is pub's Ed25519 signature of msg, with
// the rules of crypto/ed25519. It uses curve25519-voi rather than the
// standard library because checking signatures is a tenth of a week's
// sync (240 entries, each signed): voi checks one in about half the time,
// and with the signer's key expanded once (the entries of a log share one
// signer) in less than half.
func verifySig(pub ed25519.PublicKey, msg, sig []byte) bool {
	if len(pub) != ed25519.PublicKeySize || len(sig) != ed25519.SignatureSize {
		return false
	}
	k, ok := expandedKey(pub)
	if !ok {
		return false // not a point: crypto/ed25519 refuses it as well
	}
	return voi.VerifyExpandedWithOptions(k, msg, sig, stdlibRules)
}

// maxExpandedKeys bounds the cache of expanded keys. A node checks the
// signatures of its own contracts' parties, a few keys; a verifier of a
// bundle one or two. When a hostile input brings more, the cache starts
// over rather than grow.
const maxExpandedKeys = 256

var expanded struct {
	sync.Mutex
	keys map[[ed25519.PublicKeySize]byte]*voi.ExpandedPublicKey
}

// expandedKey returns pub decompressed with its tables, from the cache or
// made now; false when pub is not the encoding of a point.
func expandedKey(pub ed25519.PublicKey) (*voi.ExpandedPublicKey, bool) {
	id := [ed25519.PublicKeySize]byte(pub)
	expanded.Lock()
	k := expanded.keys[id]
	expanded.Unlock()
	if k != nil {
		return k, true
	}
	k, err := voi.NewExpandedPublicKey(voi.PublicKey(pub))
	if err != nil {
		return nil, false
	}
	expanded.Lock()
	if expanded.keys == nil || len(expanded.keys) >= maxExpandedKeys {
		expanded.keys = make(map[[ed25519.PublicKeySize]byte]*voi.ExpandedPublicKey)
	}
	expanded.keys[id] = k
	expanded.Unlock()
	return k, true
}
