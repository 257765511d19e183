package contract

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/identity"
)

const nonceSize = 16

// Offer is an employer's signed offer: the terms plus who offers them.
// It is only ever built by NewOffer or decoded from signed bytes, so every
// Offer value has verified.
type Offer struct {
	Terms
	// Nonce makes two offers with identical terms distinct contracts.
	Nonce        [nonceSize]byte
	CreatedAt    time.Time
	EmployerName string
	EmployerKey  ed25519.PublicKey
	// EmployerAddrs are canonical multiaddrs where the employer may be
	// reached; a hint only, the key is what is trusted.
	EmployerAddrs []string

	signed []byte
	id     ID
}

// offerWire is the signed payload. Keys are fixed forever; see doc.go.
type offerWire struct {
	Kind          uint8    `cbor:"0,keyasint"`
	Version       uint8    `cbor:"1,keyasint"`
	Nonce         []byte   `cbor:"2,keyasint"`
	CreatedAt     int64    `cbor:"3,keyasint"`
	Title         string   `cbor:"4,keyasint"`
	RateMinor     int64    `cbor:"5,keyasint"`
	Currency      string   `cbor:"6,keyasint"`
	WeeklyLimit   uint16   `cbor:"7,keyasint"`
	OverLimit     uint8    `cbor:"8,keyasint"`
	Screenshots   uint8    `cbor:"9,keyasint"`
	Blur          uint8    `cbor:"10,keyasint"`
	Webcam        uint8    `cbor:"11,keyasint"`
	Activity      bool     `cbor:"12,keyasint"`
	ManualTime    bool     `cbor:"13,keyasint"`
	WeekDay       uint8    `cbor:"14,keyasint"` // ISO 8601: 1 = Monday … 7 = Sunday
	WeekMinute    uint16   `cbor:"15,keyasint"` // minutes after midnight in the week zone
	EmployerName  string   `cbor:"16,keyasint"`
	EmployerKey   []byte   `cbor:"17,keyasint"`
	EmployerAddrs []string `cbor:"18,keyasint"`
	// Unverified was added later; omitted when it is the default
	// (separate), so every offer made before it keeps its bytes and reads
	// as separate.
	Unverified uint8 `cbor:"19,keyasint,omitempty"`
	// CloseAfter (hours after a week's end at which it closes) was added
	// later too; omitted when 0, so an offer made before it reads as one
	// whose weeks never close and keeps its bytes.
	CloseAfter uint16 `cbor:"20,keyasint,omitempty"`
	// WeekZone (the IANA zone whose local time WeekDay and WeekMinute are
	// in) was added with it; omitted for UTC, so every offer made before
	// it keeps its bytes and its weeks.
	WeekZone string `cbor:"21,keyasint,omitempty"`
	// ReviewDays was added later still (keys 20 and 21 belong to the week
	// close); omitted when it is the default, DefaultReviewDays.
	ReviewDays uint8 `cbor:"22,keyasint,omitempty"`
}

// NewOffer validates terms and returns an offer signed by employer, with a
// fresh random nonce. addrs are multiaddrs the contractor can reach the
// employer at; they are stored in canonical form.
func NewOffer(terms Terms, employer *identity.Identity, addrs []string, now time.Time) (*Offer, error) {
	if terms.WeekZone == "UTC" { // one encoding: UTC is no week zone
		terms.WeekZone = ""
	}
	if err := terms.Validate(); err != nil {
		return nil, err
	}
	norm, err := NormalizeAddrs(addrs, employer.PublicKey())
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidTerms, err)
	}
	o := &Offer{Terms: terms, CreatedAt: now, EmployerName: employer.Name,
		EmployerKey: employer.PublicKey(), EmployerAddrs: norm}
	if _, err := rand.Read(o.Nonce[:]); err != nil {
		return nil, fmt.Errorf("offer nonce: %w", err)
	}
	signed, err := signRecord(employer.PrivateKey(), o.wire())
	if err != nil {
		return nil, fmt.Errorf("sign offer: %w", err)
	}
	// Decoding what we just signed runs every check a contractor will run,
	// so an offer we hand out is one the other side accepts.
	return DecodeOffer(signed)
}

// DecodeOffer verifies signed offer bytes: signature, strict encoding,
// terms, and that the signer is the employer the offer names.
func DecodeOffer(signed []byte) (*Offer, error) { return decodeOffer(cose.Open, signed) }

func decodeOffer(open opener, signed []byte) (*Offer, error) {
	var w offerWire
	signer, err := openRecordWith(open, signed, kindOffer, &w)
	if err != nil {
		return nil, err
	}
	o, err := offerFromWire(w)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrInvalidTerms, err)
	}
	if !signer.Equal(o.EmployerKey) {
		return nil, fmt.Errorf("offer: %w: not signed by the employer it names", ErrWrongSigner)
	}
	o.signed = bytes.Clone(signed)
	o.id = idOf(signed)
	return o, nil
}

func (o *Offer) wire() offerWire {
	return offerWire{
		Kind: kindOffer, Version: recordVersion, Nonce: o.Nonce[:], CreatedAt: wireTime(o.CreatedAt),
		Title: o.Title, RateMinor: o.RateMinor, Currency: o.Currency,
		WeeklyLimit: uint16(o.WeeklyLimitHours), OverLimit: uint8(o.OverLimit),
		Screenshots: uint8(o.Screenshots), Blur: uint8(o.Blur), Webcam: uint8(o.Webcam),
		Activity: o.ActivityCounting, ManualTime: o.ManualTime,
		WeekDay: o.WeekStart.isoWeekday(), WeekMinute: uint16(o.WeekStart.Minute()),
		EmployerName: o.EmployerName, EmployerKey: o.EmployerKey, EmployerAddrs: o.EmployerAddrs,
		Unverified: uint8(o.Unverified), CloseAfter: uint16(o.CloseAfterHours), ReviewDays: uint8(o.ReviewDays),
		WeekZone: o.WeekZone,
	}
}

func offerFromWire(w offerWire) (*Offer, error) {
	ws, err := weekStartFromWire(w.WeekDay, w.WeekMinute)
	if err != nil {
		return nil, err
	}
	t := Terms{Title: w.Title, RateMinor: w.RateMinor, Currency: w.Currency,
		WeeklyLimitHours: int(w.WeeklyLimit), OverLimit: OverLimitPolicy(w.OverLimit),
		Screenshots: int(w.Screenshots), Blur: BlurPolicy(w.Blur), Webcam: WebcamPolicy(w.Webcam),
		ActivityCounting: w.Activity, ManualTime: w.ManualTime, WeekStart: ws,
		Unverified: UnverifiedPolicy(w.Unverified), CloseAfterHours: int(w.CloseAfter), ReviewDays: int(w.ReviewDays),
		WeekZone: w.WeekZone}
	if err := t.check(); err != nil {
		return nil, err
	}
	if err := checkNonce(w.Nonce); err != nil {
		return nil, err
	}
	if err := checkTime("created-at", w.CreatedAt); err != nil {
		return nil, err
	}
	if err := checkText("employer name", w.EmployerName, maxNameRunes); err != nil {
		return nil, err
	}
	if err := checkKey("employer key", w.EmployerKey); err != nil {
		return nil, err
	}
	if err := checkAddrs(w.EmployerAddrs, w.EmployerKey); err != nil {
		return nil, err
	}
	o := &Offer{Terms: t, CreatedAt: timeFromWire(w.CreatedAt), EmployerName: w.EmployerName,
		EmployerKey: ed25519.PublicKey(w.EmployerKey), EmployerAddrs: w.EmployerAddrs}
	copy(o.Nonce[:], w.Nonce)
	return o, nil
}

// ID is the contract ID: the SHA-256 of the signed offer bytes.
func (o *Offer) ID() ID { return o.id }

// Signed returns a copy of the exact signed offer bytes.
func (o *Offer) Signed() []byte { return bytes.Clone(o.signed) }

// EmployerPeerID is derived from the employer's key, never read from the
// offer, so an offer cannot point the contractor at someone else's node.
func (o *Offer) EmployerPeerID() peer.ID { return identity.PeerIDOf(o.EmployerKey) }

// Employer is the offering party.
func (o *Offer) Employer() Party { return Party{Name: o.EmployerName, PublicKey: o.EmployerKey} }

// Invite is an invite code carrying this offer alone, with no pairing
// secret: the form of invites made before they carried one. An employer
// hands out Contract.Invite, which its node requires.
func (o *Offer) Invite() string { return encodeInvite(o.signed, nil) }

// String is a one-line summary for logs and lists.
func (o *Offer) String() string {
	return fmt.Sprintf("%s %q %s %s/h by %s", o.id.Short(), o.Title,
		FormatRate(o.RateMinor, o.Currency), o.Currency, strings.TrimSpace(o.EmployerName))
}
