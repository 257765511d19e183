package contract

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"errors"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
)

// An invite carries, besides the signed offer, a pairing secret: a random
// value the employer keeps with the offer and nobody else learns unless
// shown the invite. Delivering an acceptance proves it holds the secret,
// so a stranger who only knows the employer's peer ID (or a contract ID
// seen elsewhere) cannot pair with an open offer. The secret is outside
// the signed offer: it never reaches a timesheet or a log.
const pairingSecretLen = 16

// OfferValidity is how long an invite can be accepted after it was made.
const OfferValidity = 14 * 24 * time.Hour

// Errors of pairing, which the employer's node returns to the contractor.
var (
	// ErrNotInvited: the acceptance comes without proof of the invite's
	// pairing secret.
	ErrNotInvited = errors.New("this acceptance does not prove it comes from the invite: accept the invite code the employer sent")
	// ErrOfferExpired: the invite is older than OfferValidity.
	ErrOfferExpired = errors.New("this invite has expired: ask the employer for a new one")
	// ErrWithdrawn: the employer withdrew the offer.
	ErrWithdrawn = errors.New("the employer withdrew this offer: ask for a new invite")
)

func newPairingSecret() ([]byte, error) {
	s := make([]byte, pairingSecretLen)
	if _, err := rand.Read(s); err != nil {
		return nil, fmt.Errorf("pairing secret: %w", err)
	}
	return s, nil
}

// PairingProof is what a contractor sends with its acceptance: a MAC of
// the contract and its own peer ID under the invite's secret, so that the
// proof is useless to anyone else and for any other contract. It is nil
// for an invite made before invites carried a secret.
func (c *Contract) PairingProof(contractor peer.ID) []byte {
	if len(c.secret) == 0 {
		return nil
	}
	return pairingMAC(c.secret, c.ID(), contractor)
}

func pairingMAC(secret []byte, id ID, contractor peer.ID) []byte {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte("workdiary pairing v1\x00"))
	m.Write(id[:])
	m.Write([]byte(contractor))
	return m.Sum(nil)
}

// checkPairing is the employer's check of a new acceptance: the offer is
// still open and the proof matches. An offer stored before invites carried
// a secret needs no proof.
func (c *Contract) checkPairing(contractor peer.ID, proof []byte, now time.Time) error {
	switch {
	case c.State == StateWithdrawn:
		return ErrWithdrawn
	case c.State == StateOffered && c.expired(now):
		return fmt.Errorf("%w (made %s)", ErrOfferExpired, c.Offer.CreatedAt.UTC().Format("2006-01-02"))
	case len(c.secret) == 0:
		return nil
	case !hmac.Equal(proof, pairingMAC(c.secret, c.ID(), contractor)):
		return ErrNotInvited
	}
	return nil
}

// Open reports whether the employer's offer can still be accepted.
func (c *Contract) Open(now time.Time) bool {
	return c.Role == RoleEmployer && c.State == StateOffered && !c.expired(now)
}

// expired reports whether the offer is older than OfferValidity at now.
func (c *Contract) expired(now time.Time) bool {
	return now.After(c.Offer.CreatedAt.Add(OfferValidity))
}

// Invite is the code to hand the contractor: the signed offer and the
// pairing secret.
func (c *Contract) Invite() string { return encodeInvite(c.Offer.signed, c.secret) }
