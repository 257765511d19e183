package syncp2p

import (
	"crypto/ed25519"
	"crypto/sha256"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// NewFakeSender is the test fake of a contractor's store (fakes_test.go)
// with one empty log of contract id, for the conformance suite of
// package syncp2p_test: the sender, how to append to its log and how to
// keep an image no entry commits to.
func NewFakeSender(key ed25519.PrivateKey, id [32]byte, employer ed25519.PublicKey) (Sender, func([]ledger.Signed, map[ledger.ImageHash][]byte), func([]byte)) {
	s := &fakeSender{key: key, logs: map[contract.ID]*sentLog{}, store: map[ledger.ImageHash][]byte{}}
	s.logs[id] = &sentLog{employer: identity.PeerIDOf(employer), employerKey: employer}
	add := func(entries []ledger.Signed, images map[ledger.ImageHash][]byte) {
		s.mu.Lock()
		all := s.logs[id].entries
		s.mu.Unlock()
		for _, e := range entries {
			all = append(all, e.Bytes)
		}
		s.setLog(id, all, images)
	}
	put := func(b []byte) {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.store[sha256.Sum256(b)] = b
	}
	return s, add, put
}

// NewFakeReceiver is the test fake of an employer's store with an empty
// copy of contract id's log, whose contractor is contractor.
func NewFakeReceiver(key ed25519.PrivateKey, id [32]byte, contractor ed25519.PublicKey) Receiver {
	r := &fakeReceiver{key: key, copies: map[contract.ID]*copyLog{}, blobs: map[ledger.ImageHash][]byte{}}
	r.copies[id] = &copyLog{terms: Terms{Contractor: contractor}, contractor: identity.PeerIDOf(contractor)}
	return r
}
