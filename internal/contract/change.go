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

// Amendment is a signed change of the rate and weekly limit by the
// employer. It never edits the offer: the offer stays as signed, and each
// week is billed under the last amendment bound into the contractor's log
// whose From is not after the week's start (Lifecycle.TermsFor).
type Amendment struct {
	ContractID ID
	// Seq numbers a contract's amendments 1, 2, 3…, so "the latest" does not
	// depend on two machines' clocks agreeing.
	Seq              uint64
	WeeklyLimitHours int
	// RateMinor is the new hourly rate, in the offer's currency.
	RateMinor int64
	// From is the start of the first week the new terms apply to: always a
	// week start, and after the week the amendment was signed in.
	From time.Time
	At   time.Time // when it was signed
	By   ed25519.PublicKey

	signed []byte
}

// amendmentWire keys 6 and 7 arrived with the contract lifecycle; both are
// always written now. A record without them (none was ever handed out) reads
// as "the offer's rate, from At".
type amendmentWire struct {
	Kind        uint8  `cbor:"0,keyasint"`
	Version     uint8  `cbor:"1,keyasint"`
	ContractID  []byte `cbor:"2,keyasint"`
	Seq         uint64 `cbor:"3,keyasint"`
	WeeklyLimit uint16 `cbor:"4,keyasint"`
	At          int64  `cbor:"5,keyasint"`
	RateMinor   *int64 `cbor:"6,keyasint,omitempty"`
	From        int64  `cbor:"7,keyasint,omitempty"`
}

// Change is what an amendment sets: the whole new rate and limit, from a
// week start.
type Change struct {
	RateMinor        int64
	WeeklyLimitHours int
	From             time.Time
}

// NewAmendment signs ch for o as its employer. From must be a start of one
// of o's weeks after the week of now: terms never change under time already
// worked.
func NewAmendment(o *Offer, employer *identity.Identity, seq uint64, ch Change, now time.Time) (*Amendment, error) {
	if !employer.PublicKey().Equal(o.EmployerKey) {
		return nil, ErrNotEmployer
	}
	if ch.WeeklyLimitHours < 0 || ch.WeeklyLimitHours > MaxWeeklyLimitHours {
		return nil, fmt.Errorf("%w: weekly limit %d hours, want 0 to %d", ErrInvalidTerms, ch.WeeklyLimitHours, MaxWeeklyLimitHours)
	}
	if ch.RateMinor < 0 {
		return nil, fmt.Errorf("%w: the rate must not be negative", ErrInvalidTerms)
	}
	if err := checkFrom(o, ch.From, now); err != nil {
		return nil, err
	}
	a := &Amendment{ContractID: o.ID(), Seq: seq, WeeklyLimitHours: ch.WeeklyLimitHours, RateMinor: ch.RateMinor,
		From: ch.From.UTC(), At: now}
	signed, err := signRecord(employer.PrivateKey(), a.wire())
	if err != nil {
		return nil, fmt.Errorf("sign amendment: %w", err)
	}
	return VerifyAmendment(signed, o)
}

// checkFrom: an amendment takes effect at the start of a week after the
// one it is made in.
func checkFrom(o *Offer, from, at time.Time) error {
	if !o.Weeks().IsStart(from) {
		return fmt.Errorf("%w: new terms start %s, which is not a week start (%s)", ErrWrongTime, when(from), o.Weeks())
	}
	if !from.After(o.Weeks().Begin(at)) {
		return fmt.Errorf("%w: new terms from %s would change a week that has begun (%s); they take effect from a future week",
			ErrWrongTime, when(from), when(at))
	}
	return nil
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
	case w.RateMinor != nil && *w.RateMinor < 0:
		return nil, fmt.Errorf("amendment: %w: negative rate", ErrInvalidTerms)
	}
	if err := checkTime("amendment time", w.At); err != nil {
		return nil, fmt.Errorf("amendment: %w: %v", ErrMalformed, err)
	}
	a := &Amendment{Seq: w.Seq, WeeklyLimitHours: int(w.WeeklyLimit), RateMinor: -1, At: timeFromWire(w.At),
		From: timeFromWire(w.At), By: signer, signed: bytes.Clone(signed)}
	if w.RateMinor != nil {
		a.RateMinor = *w.RateMinor
	}
	if w.From != 0 {
		if err := checkTime("amendment start", w.From); err != nil {
			return nil, fmt.Errorf("amendment: %w: %v", ErrMalformed, err)
		}
		a.From = timeFromWire(w.From)
	}
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
	if a.RateMinor < 0 {
		a.RateMinor = o.RateMinor
	}
	return a, nil
}

func (a *Amendment) wire() amendmentWire {
	rate := a.RateMinor
	return amendmentWire{Kind: kindAmendment, Version: recordVersion, ContractID: a.ContractID[:], Seq: a.Seq,
		WeeklyLimit: uint16(a.WeeklyLimitHours), At: wireTime(a.At), RateMinor: &rate, From: wireTime(a.From)}
}

// Signed returns a copy of the exact signed bytes.
func (a *Amendment) Signed() []byte { return bytes.Clone(a.signed) }
