package contract

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/identity"
)

// Acceptance is the contractor's signed "yes" to one offer.
type Acceptance struct {
	ContractID ID
	Contractor Party
	// Addrs are canonical multiaddrs where the contractor may be reached.
	Addrs      []string
	AcceptedAt time.Time

	signed []byte
}

type acceptanceWire struct {
	Kind       uint8    `cbor:"0,keyasint"`
	Version    uint8    `cbor:"1,keyasint"`
	ContractID []byte   `cbor:"2,keyasint"`
	Key        []byte   `cbor:"3,keyasint"`
	Name       string   `cbor:"4,keyasint"`
	Addrs      []string `cbor:"5,keyasint"`
	AcceptedAt int64    `cbor:"6,keyasint"`
}

// Accept signs contractor's acceptance of o. It refuses the employer's own
// offer: one key on both sides would make every signature meaningless.
func Accept(o *Offer, contractor *identity.Identity, addrs []string, now time.Time) (*Acceptance, error) {
	if contractor.PublicKey().Equal(o.EmployerKey) {
		return nil, ErrOwnOffer
	}
	norm, err := NormalizeAddrs(addrs, contractor.PublicKey())
	if err != nil {
		return nil, fmt.Errorf("acceptance: %w", err)
	}
	a := &Acceptance{ContractID: o.ID(), Contractor: Party{Name: contractor.Name, PublicKey: contractor.PublicKey()},
		Addrs: norm, AcceptedAt: now}
	signed, err := signRecord(contractor.PrivateKey(), a.wire())
	if err != nil {
		return nil, fmt.Errorf("sign acceptance: %w", err)
	}
	return VerifyAcceptance(signed, o)
}

// DecodeAcceptance verifies an acceptance on its own: signature by the
// contractor key it names, strict encoding, valid fields. It cannot tell
// whether the acceptance fits an offer; VerifyAcceptance does that.
func DecodeAcceptance(signed []byte) (*Acceptance, error) { return decodeAcceptance(cose.Open, signed) }

func decodeAcceptance(open opener, signed []byte) (*Acceptance, error) {
	var w acceptanceWire
	signer, err := openRecordWith(open, signed, kindAcceptance, &w)
	if err != nil {
		return nil, err
	}
	if err := w.check(); err != nil {
		return nil, fmt.Errorf("acceptance: %w: %v", ErrMalformed, err)
	}
	if !signer.Equal(ed25519.PublicKey(w.Key)) {
		return nil, fmt.Errorf("acceptance: %w: not signed by the contractor it names", ErrWrongSigner)
	}
	a := &Acceptance{Contractor: Party{Name: w.Name, PublicKey: w.Key}, Addrs: w.Addrs,
		AcceptedAt: timeFromWire(w.AcceptedAt), signed: bytes.Clone(signed)}
	copy(a.ContractID[:], w.ContractID)
	return a, nil
}

func (a *Acceptance) wire() acceptanceWire {
	return acceptanceWire{Kind: kindAcceptance, Version: recordVersion, ContractID: a.ContractID[:],
		Key: a.Contractor.PublicKey, Name: a.Contractor.Name, Addrs: a.Addrs, AcceptedAt: wireTime(a.AcceptedAt)}
}

func (w acceptanceWire) check() error {
	if len(w.ContractID) != len(ID{}) {
		return fmt.Errorf("contract ID is %d bytes, want %d", len(w.ContractID), len(ID{}))
	}
	if err := checkKey("contractor key", w.Key); err != nil {
		return err
	}
	if err := checkText("contractor name", w.Name, maxNameRunes); err != nil {
		return err
	}
	if err := checkTime("accepted-at", w.AcceptedAt); err != nil {
		return err
	}
	return checkAddrs(w.Addrs, w.Key)
}

// VerifyAcceptance is DecodeAcceptance plus the checks against the offer:
// it accepts this contract, and the contractor is not the employer.
func VerifyAcceptance(signed []byte, o *Offer) (*Acceptance, error) {
	return verifyAcceptance(cose.Open, signed, o)
}

func verifyAcceptance(open opener, signed []byte, o *Offer) (*Acceptance, error) {
	a, err := decodeAcceptance(open, signed)
	if err != nil {
		return nil, err
	}
	if a.ContractID != o.ID() {
		return nil, fmt.Errorf("%w: acceptance is for %s, not %s", ErrWrongContract, a.ContractID.Short(), o.ID().Short())
	}
	if a.Contractor.PublicKey.Equal(o.EmployerKey) {
		return nil, fmt.Errorf("acceptance: %w: the employer cannot accept its own offer", ErrWrongSigner)
	}
	return a, nil
}

// Signed returns a copy of the exact signed acceptance bytes.
func (a *Acceptance) Signed() []byte { return bytes.Clone(a.signed) }

// ContractorPeerID is derived from the contractor's key.
func (a *Acceptance) ContractorPeerID() peer.ID { return identity.PeerIDOf(a.Contractor.PublicKey) }
