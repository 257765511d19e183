package contract

import (
	"bytes"
	"crypto/ed25519"
	"errors"
	"fmt"
	"time"

	"github.com/fxamacker/cbor/v2"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/identity"
)

// Record kinds, field 0 of every signed payload. Numbers are never reused.
const (
	kindOffer      uint8 = 1
	kindAcceptance uint8 = 2
	kindEnd        uint8 = 3
	kindAmendment  uint8 = 4
	// 5 is the week close's.
	kindPause   uint8 = 6
	kindResume  uint8 = 7
	kindDispute uint8 = 8
	kindAnswer  uint8 = 9
)

// recordVersion is field 1 of every payload written by this release.
const recordVersion uint8 = 1

var kindNames = map[uint8]string{
	kindOffer: "an offer", kindAcceptance: "an acceptance", kindEnd: "an end of contract", kindAmendment: "an amendment",
	kindPause: "a pause", kindResume: "a resumption", kindDispute: "a dispute", kindAnswer: "an answer to a dispute",
}

var kindNouns = map[uint8]string{
	kindOffer: "offer", kindAcceptance: "acceptance", kindEnd: "end of contract", kindAmendment: "amendment",
	kindPause: "pause", kindResume: "resumption", kindDispute: "dispute", kindAnswer: "answer",
}

// Party is one side of a contract as the other side sees it.
type Party struct {
	Name      string
	PublicKey ed25519.PublicKey
}

// Fingerprint is the short form of the key people compare out of band.
func (p Party) Fingerprint() string { return identity.Fingerprint(p.PublicKey) }

// openRecord verifies a signed record's signature, checks its kind and
// version, and strictly decodes its payload into v. It returns the signer.
// Kind and version are read before the full decode so that a newer record
// is reported as newer, not as "unknown field".
func openRecord(signed []byte, want uint8, v any) (ed25519.PublicKey, error) {
	return openRecordWith(cose.Open, signed, want, v)
}

// opener reads a COSE_Sign1 record: cose.Open checks its signature;
// cose.Unverified reads back one this installation's store kept only after
// checking it (storedOpen), as ledger.ReadOwnEntry reads a stored entry.
type opener func([]byte) (cose.Message, error)

// storedOpen reads the offer and acceptance of a contract record from
// this installation's store: each was verified before the record was
// first saved (Offer signs it here; RecordAcceptance and AcceptOffline
// verify), so reading a thousand contracts back after opening the folder
// (an agency's Team view, P11) costs their decoding, not two thousand
// signature checks. Contract records bound later are still verified as
// they are read.
var storedOpen opener = cose.Unverified

// openRecordWith is openRecord with open reading the COSE message.
func openRecordWith(open opener, signed []byte, want uint8, v any) (ed25519.PublicKey, error) {
	m, err := open(signed)
	switch {
	case errors.Is(err, cose.ErrBadSignature):
		return nil, fmt.Errorf("%s: %w", kindNouns[want], ErrBadSignature)
	case err != nil:
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var head map[int]cbor.RawMessage
	if err := cose.Unmarshal(m.Payload, &head); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var kind, version uint8
	if cose.Unmarshal(head[0], &kind) != nil || cose.Unmarshal(head[1], &version) != nil {
		return nil, fmt.Errorf("%w: no record kind and version", ErrMalformed)
	}
	if kind != want {
		name, ok := kindNames[kind]
		if !ok {
			name = fmt.Sprintf("kind %d", kind)
		}
		return nil, fmt.Errorf("%w: this is %s, want %s", ErrWrongKind, name, kindNames[want])
	}
	if version > recordVersion {
		return nil, fmt.Errorf("%s version %d: %w", kindNouns[want], version, ErrNewerVersion)
	}
	if version != recordVersion {
		return nil, fmt.Errorf("%w: %s version %d", ErrMalformed, kindNouns[want], version)
	}
	if err := cose.Unmarshal(m.Payload, v); err != nil {
		return nil, fmt.Errorf("%s: %w: %v", kindNouns[want], ErrMalformed, err)
	}
	return m.Signer, nil
}

// signRecord encodes payload deterministically and signs it.
func signRecord(key ed25519.PrivateKey, payload any) ([]byte, error) {
	b, err := cose.Marshal(payload)
	if err != nil {
		return nil, err
	}
	return cose.Sign(key, b)
}

// Times are whole Unix seconds on the wire: enough for contracts, and one
// integer has one encoding.
func wireTime(t time.Time) int64 { return t.Unix() }

func timeFromWire(s int64) time.Time { return time.Unix(s, 0).UTC() }

func checkTime(what string, s int64) error {
	// 2020-01-01 .. 9999: anything outside is a broken clock or a forgery.
	if s < 1577836800 || s > 253402300799 {
		return fmt.Errorf("%s %d is not a plausible time", what, s)
	}
	return nil
}

func checkKey(what string, k []byte) error {
	if len(k) != ed25519.PublicKeySize {
		return fmt.Errorf("%s is %d bytes, want an Ed25519 public key", what, len(k))
	}
	return nil
}

// NormalizeAddrs parses multiaddr strings and returns their canonical
// forms. Records store only canonical forms so that one address has one
// encoding; an address naming a peer (/p2p/…) must name owner.
func NormalizeAddrs(addrs []string, owner ed25519.PublicKey) ([]string, error) {
	if len(addrs) > maxAddrs {
		return nil, fmt.Errorf("%d addresses, at most %d", len(addrs), maxAddrs)
	}
	out := make([]string, 0, len(addrs))
	for _, s := range addrs {
		if len(s) > maxAddrLen {
			return nil, fmt.Errorf("address %.40q…: longer than %d characters", s, maxAddrLen)
		}
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			return nil, fmt.Errorf("address %q is not a multiaddr: %v", s, err)
		}
		if p := namedPeer(a); p != "" && p != identity.PeerIDOf(owner).String() {
			return nil, fmt.Errorf("address %q names peer %s, not its owner", s, p)
		}
		out = append(out, a.String())
	}
	return out, nil
}

// namedPeer is the peer an address leads to, if it names one: for a relay
// address (…/p2p/RELAY/p2p-circuit/p2p/OWNER) the peer after the circuit,
// not the relay.
func namedPeer(a ma.Multiaddr) string {
	for i := len(a) - 1; i >= 0; i-- {
		switch a[i].Code() {
		case ma.P_CIRCUIT:
			return ""
		case ma.P_P2P:
			return a[i].Value()
		}
	}
	return ""
}

// checkAddrs accepts only addresses already in canonical form.
func checkAddrs(addrs []string, owner ed25519.PublicKey) error {
	norm, err := NormalizeAddrs(addrs, owner)
	if err != nil {
		return err
	}
	for i := range norm {
		if norm[i] != addrs[i] {
			return fmt.Errorf("address %q is not in canonical form (%q)", addrs[i], norm[i])
		}
	}
	return nil
}

func checkNonce(n []byte) error {
	if len(n) != nonceSize || bytes.Equal(n, make([]byte, nonceSize)) {
		return fmt.Errorf("nonce must be %d random bytes", nonceSize)
	}
	return nil
}

// peekKind is a signed record's kind (field 0), read after its signature
// verified, for callers that accept more than one kind.
func peekKind(signed []byte) (uint8, error) {
	m, err := cose.Open(signed)
	switch {
	case errors.Is(err, cose.ErrBadSignature):
		return 0, fmt.Errorf("record: %w", ErrBadSignature)
	case err != nil:
		return 0, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var head map[int]cbor.RawMessage
	if err := cose.Unmarshal(m.Payload, &head); err != nil {
		return 0, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	var kind uint8
	if cose.Unmarshal(head[0], &kind) != nil {
		return 0, fmt.Errorf("%w: no record kind", ErrMalformed)
	}
	return kind, nil
}

// recordKinds name the kinds of change records for callers that count
// them (a file import says what it bound).
var recordKinds = map[uint8]string{
	kindEnd: "end", kindPause: "pause", kindResume: "resume", kindAmendment: "amendment", kindDispute: "dispute", kindAnswer: "answer",
}

// RecordKind is a signed change record's kind ("end", "pause", "resume",
// "amendment", "dispute", "answer"), read after its signature verified.
func RecordKind(signed []byte) (string, error) {
	k, err := peekKind(signed)
	if err != nil {
		return "", err
	}
	name, ok := recordKinds[k]
	if !ok {
		return "", fmt.Errorf("%w: kind %d is not a change of a contract", ErrWrongKind, k)
	}
	return name, nil
}
