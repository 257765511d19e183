package contract

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/identity"
)

// End is a signed statement by either party that a contract ends at At.
// Time recorded after At does not belong to the contract.
type End struct {
	ContractID ID
	By         ed25519.PublicKey
	At         time.Time
	// Reason is optional free text shown to the other side.
	Reason string

	signed []byte
}

type endWire struct {
	Kind       uint8  `cbor:"0,keyasint"`
	Version    uint8  `cbor:"1,keyasint"`
	ContractID []byte `cbor:"2,keyasint"`
	At         int64  `cbor:"3,keyasint"`
	Reason     string `cbor:"4,keyasint"`
}

// NewEnd signs by's end of contract id at now. Whether by is a party is
// checked by whoever records it (Registry.RecordEnd), which knows both sides.
func NewEnd(id ID, by *identity.Identity, reason string, now time.Time) (*End, error) {
	e := &End{ContractID: id, At: now, Reason: reason}
	signed, err := signRecord(by.PrivateKey(), e.wire())
	if err != nil {
		return nil, fmt.Errorf("sign end of contract: %w", err)
	}
	return DecodeEnd(signed)
}

// DecodeEnd verifies a signed end of contract; By is its signer.
func DecodeEnd(signed []byte) (*End, error) {
	var w endWire
	signer, err := openRecord(signed, kindEnd, &w)
	if err != nil {
		return nil, err
	}
	if len(w.ContractID) != len(ID{}) {
		return nil, fmt.Errorf("end of contract: %w: contract ID is %d bytes", ErrMalformed, len(w.ContractID))
	}
	if err := checkTime("end time", w.At); err != nil {
		return nil, fmt.Errorf("end of contract: %w: %v", ErrMalformed, err)
	}
	if w.Reason != "" {
		if err := checkText("reason", w.Reason, maxReasonRunes); err != nil {
			return nil, fmt.Errorf("end of contract: %w: %v", ErrMalformed, err)
		}
	}
	e := &End{By: signer, At: timeFromWire(w.At), Reason: w.Reason, signed: bytes.Clone(signed)}
	copy(e.ContractID[:], w.ContractID)
	return e, nil
}

func (e *End) wire() endWire {
	return endWire{Kind: kindEnd, Version: recordVersion, ContractID: e.ContractID[:], At: wireTime(e.At), Reason: e.Reason}
}

// Signed returns a copy of the exact signed bytes.
func (e *End) Signed() []byte { return bytes.Clone(e.signed) }

// Amendment is a signed change of the weekly limit by the employer. It
// never edits the offer: the offer stays as signed and the amendment with
// the highest Seq is in force from At.
type Amendment struct {
	ContractID ID
	// Seq numbers a contract's amendments 1, 2, 3…, so "the latest" does not
	// depend on two machines' clocks agreeing.
	Seq              uint64
	WeeklyLimitHours int
	At               time.Time
	By               ed25519.PublicKey

	signed []byte
}

type amendmentWire struct {
	Kind        uint8  `cbor:"0,keyasint"`
	Version     uint8  `cbor:"1,keyasint"`
	ContractID  []byte `cbor:"2,keyasint"`
	Seq         uint64 `cbor:"3,keyasint"`
	WeeklyLimit uint16 `cbor:"4,keyasint"`
	At          int64  `cbor:"5,keyasint"`
}

// NewAmendment signs a new weekly limit for o as its employer.
func NewAmendment(o *Offer, employer *identity.Identity, seq uint64, weeklyLimitHours int, now time.Time) (*Amendment, error) {
	if !employer.PublicKey().Equal(o.EmployerKey) {
		return nil, ErrNotEmployer
	}
	if weeklyLimitHours < 0 || weeklyLimitHours > MaxWeeklyLimitHours {
		return nil, fmt.Errorf("%w: weekly limit %d hours, want 0 to %d", ErrInvalidTerms, weeklyLimitHours, MaxWeeklyLimitHours)
	}
	a := &Amendment{ContractID: o.ID(), Seq: seq, WeeklyLimitHours: weeklyLimitHours, At: now}
	signed, err := signRecord(employer.PrivateKey(), a.wire())
	if err != nil {
		return nil, fmt.Errorf("sign amendment: %w", err)
	}
	return VerifyAmendment(signed, o)
}

// DecodeAmendment verifies a signed amendment on its own; By is its signer.
func DecodeAmendment(signed []byte) (*Amendment, error) {
	var w amendmentWire
	signer, err := openRecord(signed, kindAmendment, &w)
	if err != nil {
		return nil, err
	}
	switch {
	case len(w.ContractID) != len(ID{}):
		return nil, fmt.Errorf("amendment: %w: contract ID is %d bytes", ErrMalformed, len(w.ContractID))
	case w.Seq == 0:
		return nil, fmt.Errorf("amendment: %w: sequence numbers start at 1", ErrMalformed)
	case w.WeeklyLimit > MaxWeeklyLimitHours:
		return nil, fmt.Errorf("amendment: %w: weekly limit %d hours", ErrInvalidTerms, w.WeeklyLimit)
	}
	if err := checkTime("amendment time", w.At); err != nil {
		return nil, fmt.Errorf("amendment: %w: %v", ErrMalformed, err)
	}
	a := &Amendment{Seq: w.Seq, WeeklyLimitHours: int(w.WeeklyLimit), At: timeFromWire(w.At),
		By: signer, signed: bytes.Clone(signed)}
	copy(a.ContractID[:], w.ContractID)
	return a, nil
}

// VerifyAmendment is DecodeAmendment plus: it is for o, signed by o's employer.
func VerifyAmendment(signed []byte, o *Offer) (*Amendment, error) {
	a, err := DecodeAmendment(signed)
	if err != nil {
		return nil, err
	}
	if a.ContractID != o.ID() {
		return nil, fmt.Errorf("%w: amendment is for %s, not %s", ErrWrongContract, a.ContractID.Short(), o.ID().Short())
	}
	if !a.By.Equal(o.EmployerKey) {
		return nil, fmt.Errorf("amendment: %w: only the employer changes terms", ErrWrongSigner)
	}
	return a, nil
}

func (a *Amendment) wire() amendmentWire {
	return amendmentWire{Kind: kindAmendment, Version: recordVersion, ContractID: a.ContractID[:], Seq: a.Seq,
		WeeklyLimit: uint16(a.WeeklyLimitHours), At: wireTime(a.At)}
}

// Signed returns a copy of the exact signed bytes.
func (a *Amendment) Signed() []byte { return bytes.Clone(a.signed) }
