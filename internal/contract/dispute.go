package contract

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"time"

	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// MaxDisputed bounds the segments one dispute names: a whole week of
// ten-minute segments.
const MaxDisputed = 7 * 24 * 6

// Dispute is the employer's signed objection to segments of one closed
// week, with a reason. Disputed time is shown apart from billable time; a
// dispute is settled between the parties, not by the program.
type Dispute struct {
	ContractID ID
	By         ed25519.PublicKey
	At         time.Time // when it was signed
	Reason     string
	// Segments are the starts of the disputed segments, increasing, all in
	// one contract week.
	Segments []time.Time

	signed []byte
}

type disputeWire struct {
	Kind       uint8   `cbor:"0,keyasint"`
	Version    uint8   `cbor:"1,keyasint"`
	ContractID []byte  `cbor:"2,keyasint"`
	At         int64   `cbor:"3,keyasint"`
	Reason     string  `cbor:"4,keyasint"`
	Segments   []int64 `cbor:"5,keyasint"`
}

// NewDispute signs o's employer's dispute of segments, which must lie in
// one week of o. Whether the review window is open is Lifecycle.Bind's.
func NewDispute(o *Offer, employer *identity.Identity, segments []time.Time, reason string, now time.Time) (*Dispute, error) {
	if !employer.PublicKey().Equal(o.EmployerKey) {
		return nil, ErrNotEmployer
	}
	w := disputeWire{Kind: kindDispute, Version: recordVersion, ContractID: o.ID().Bytes(), At: wireTime(now), Reason: reason}
	for _, s := range segments {
		w.Segments = append(w.Segments, s.Unix())
	}
	slices.Sort(w.Segments)
	w.Segments = slices.Compact(w.Segments)
	signed, err := signRecord(employer.PrivateKey(), w)
	if err != nil {
		return nil, fmt.Errorf("sign dispute: %w", err)
	}
	d, err := DecodeDispute(signed)
	if err != nil {
		return nil, err
	}
	return d, d.checkWeek(o)
}

// DecodeDispute verifies a signed dispute on its own; By is its signer.
func DecodeDispute(signed []byte) (*Dispute, error) {
	var w disputeWire
	signer, err := openRecord(signed, kindDispute, &w)
	if err != nil {
		return nil, err
	}
	if err := checkChange("dispute", w.ContractID, w.At, w.Reason); err != nil {
		return nil, err
	}
	if w.Reason == "" {
		return nil, fmt.Errorf("dispute: %w: a dispute says why", ErrMalformed)
	}
	if len(w.Segments) == 0 || len(w.Segments) > MaxDisputed {
		return nil, fmt.Errorf("dispute: %w: %d segments, want 1 to %d", ErrMalformed, len(w.Segments), MaxDisputed)
	}
	d := &Dispute{By: signer, At: timeFromWire(w.At), Reason: w.Reason, signed: bytes.Clone(signed)}
	for i, s := range w.Segments {
		if s%ledger.SegmentSeconds != 0 || (i > 0 && s <= w.Segments[i-1]) {
			return nil, fmt.Errorf("dispute: %w: segment starts must be increasing multiples of %d s", ErrMalformed, ledger.SegmentSeconds)
		}
		if err := checkTime("disputed segment", s); err != nil {
			return nil, fmt.Errorf("dispute: %w: %v", ErrMalformed, err)
		}
		d.Segments = append(d.Segments, timeFromWire(s))
	}
	copy(d.ContractID[:], w.ContractID)
	return d, nil
}

// Week is the start of the contract week the disputed segments lie in.
func (d *Dispute) Week(o *Offer) time.Time { return o.WeekStart.Begin(d.Segments[0]) }

func (d *Dispute) checkWeek(o *Offer) error {
	w := d.Week(o)
	if last := d.Segments[len(d.Segments)-1]; o.WeekStart.Begin(last) != w {
		return fmt.Errorf("%w: a dispute names segments of one week; %s and %s are in different weeks",
			ErrInvalidTerms, when(d.Segments[0]), when(last))
	}
	return nil
}

// Covers reports whether the segment starting at start is disputed.
func (d *Dispute) Covers(start time.Time) bool {
	_, ok := slices.BinarySearchFunc(d.Segments, start, func(a, b time.Time) int { return a.Compare(b) })
	return ok
}

// DisputeID names a dispute: the SHA-256 of its signed bytes. An answer
// names the dispute it answers by it, and people pick a dispute by its hex.
type DisputeID [32]byte

// String is the ID in lower-case hex (64 characters).
func (id DisputeID) String() string { return hex.EncodeToString(id[:]) }

// MarshalText is the ID in lower-case hex, for JSON and logs.
func (id DisputeID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// Hash names the dispute in an answer: SHA-256 of its signed bytes.
func (d *Dispute) Hash() DisputeID { return sha256.Sum256(d.signed) }

// Signed returns a copy of the exact signed bytes.
func (d *Dispute) Signed() []byte { return bytes.Clone(d.signed) }

// Answer is the contractor's signed reply to a dispute.
type Answer struct {
	ContractID ID
	By         ed25519.PublicKey
	At         time.Time
	Text       string
	Dispute    DisputeID // Dispute.Hash of the dispute it answers

	signed []byte
}

type answerWire struct {
	Kind       uint8  `cbor:"0,keyasint"`
	Version    uint8  `cbor:"1,keyasint"`
	ContractID []byte `cbor:"2,keyasint"`
	At         int64  `cbor:"3,keyasint"`
	Text       string `cbor:"4,keyasint"`
	Dispute    []byte `cbor:"5,keyasint"`
}

// NewAnswer signs the contractor's answer to d.
func NewAnswer(d *Dispute, contractor *identity.Identity, text string, now time.Time) (*Answer, error) {
	h := d.Hash()
	w := answerWire{Kind: kindAnswer, Version: recordVersion, ContractID: d.ContractID.Bytes(), At: wireTime(now), Text: text, Dispute: h[:]}
	signed, err := signRecord(contractor.PrivateKey(), w)
	if err != nil {
		return nil, fmt.Errorf("sign answer: %w", err)
	}
	return DecodeAnswer(signed)
}

// DecodeAnswer verifies a signed answer on its own; By is its signer.
func DecodeAnswer(signed []byte) (*Answer, error) {
	var w answerWire
	signer, err := openRecord(signed, kindAnswer, &w)
	if err != nil {
		return nil, err
	}
	if err := checkChange("answer", w.ContractID, w.At, w.Text); err != nil {
		return nil, err
	}
	if w.Text == "" || len(w.Dispute) != sha256.Size {
		return nil, fmt.Errorf("answer: %w: an answer has text and names a dispute by its 32-byte hash", ErrMalformed)
	}
	a := &Answer{By: signer, At: timeFromWire(w.At), Text: w.Text, signed: bytes.Clone(signed)}
	copy(a.ContractID[:], w.ContractID)
	copy(a.Dispute[:], w.Dispute)
	return a, nil
}

// Signed returns a copy of the exact signed bytes.
func (a *Answer) Signed() []byte { return bytes.Clone(a.signed) }

func (d *Dispute) wire() disputeWire {
	w := disputeWire{Kind: kindDispute, Version: recordVersion, ContractID: d.ContractID.Bytes(), At: wireTime(d.At), Reason: d.Reason}
	for _, s := range d.Segments {
		w.Segments = append(w.Segments, s.Unix())
	}
	return w
}

func (a *Answer) wire() answerWire {
	return answerWire{Kind: kindAnswer, Version: recordVersion, ContractID: a.ContractID.Bytes(), At: wireTime(a.At),
		Text: a.Text, Dispute: a.Dispute[:]}
}
