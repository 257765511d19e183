package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"fmt"

	"github.com/workdiary/workdiary/internal/cose"
)

// Sign validates e, encodes it and signs it as-is. Most callers want
// Log.Append, which also fills the chain fields and checks the chain rules.
func Sign(key ed25519.PrivateKey, e Entry) (Signed, error) {
	if len(key) != ed25519.PrivateKeySize {
		return Signed{}, fmt.Errorf("sign entry seq %d: private key is %d bytes, want %d", e.Seq, len(key), ed25519.PrivateKeySize)
	}
	if err := Validate(e); err != nil {
		return Signed{}, err
	}
	pub := key.Public().(ed25519.PublicKey)
	if e.LogID != LogIDOf(e.ContractID, pub) {
		return Signed{}, fmt.Errorf("%w: seq %d: log ID %s is not this key's log for contract %s",
			ErrWrongLog, e.Seq, short(e.LogID), short(e.ContractID))
	}
	payload, err := encodePayload(e)
	if err != nil {
		return Signed{}, fmt.Errorf("sign entry seq %d: %w", e.Seq, err)
	}
	msg, err := cose.Sign(key, payload)
	if err != nil {
		return Signed{}, fmt.Errorf("sign entry seq %d: %w", e.Seq, err)
	}
	if len(msg) > MaxEntrySize { // the field limits keep this out of reach; be sure
		return Signed{}, fmt.Errorf("%w: seq %d: %d bytes signed, over the %d limit", ErrInvalidEntry, e.Seq, len(msg), MaxEntrySize)
	}
	return Signed{Bytes: msg, Hash: sha256.Sum256(msg), Entry: e, Signer: pub}, nil
}

// OpenEntry checks an entry's signature against the key in its own header,
// decodes it and validates it on its own. It also checks that the entry's log
// ID belongs to its contract and signer, so an entry cannot claim to be part
// of someone else's log. Use VerifyEntry when the signer is known.
func OpenEntry(b []byte) (Signed, error) { return openEnvelope(b, cose.Open) }

// openEnvelope is OpenEntry with open reading the COSE message: cose.Open,
// or cose.Unverified where a signature over the log's root covers b.
func openEnvelope(b []byte, open func([]byte) (cose.Message, error)) (Signed, error) {
	if len(b) > MaxEntrySize {
		return Signed{}, fmt.Errorf("%w: entry is %d bytes, over the %d limit", ErrMalformed, len(b), MaxEntrySize)
	}
	msg, err := open(b)
	if err != nil {
		return Signed{}, fmt.Errorf("open entry: %w", err)
	}
	if !bytes.HasPrefix(b, envelopePrefix) || b[unprotectedAt] != 0xa0 {
		return Signed{}, fmt.Errorf("%w: entry envelope: unprotected header must be an empty map (0xa0)", ErrMalformed)
	}
	return decodeSigned(b, msg)
}

// ReadOwnEntry decodes an entry kept in this installation's own store,
// without checking the signature again: for reading back what it wrote
// (such as counting a batch's images before sending it), or what its
// store accepted only after verifying it (an employer's received log).
// Entries from anywhere else go through OpenEntry or VerifyEntry.
func ReadOwnEntry(b []byte) (Entry, error) {
	msg, err := cose.Unverified(b)
	if err != nil {
		return Entry{}, fmt.Errorf("read entry: %w", err)
	}
	return decodePayload(msg.Payload)
}

// Once cose.Open has accepted a message, its layout is fixed up to the
// payload: tag 18, a 4-array, a 38-byte protected header {1: -8, 4: key}.
// cose.Open also takes CBOR null (0xf6) for the unprotected header, because
// a nil map has length 0; that would give one signed entry a second byte
// form and so a second hash. Checking the byte at its fixed offset closes
// that without decoding the envelope twice.
var envelopePrefix = []byte{0xd2, 0x84, 0x58, 0x26, 0xa2, 0x01, 0x27, 0x04, 0x58, 0x20}

const unprotectedAt = 4 + 38

// VerifyEntry is OpenEntry plus a check that contractor signed the entry.
func VerifyEntry(b []byte, contractor ed25519.PublicKey) (Signed, error) {
	s, err := OpenEntry(b)
	if err != nil {
		return Signed{}, err
	}
	if err := signedBy(s, contractor); err != nil {
		return Signed{}, err
	}
	return s, nil
}

// signedBy checks that contractor signed s.
func signedBy(s Signed, contractor ed25519.PublicKey) error {
	if !s.Signer.Equal(contractor) {
		return fmt.Errorf("entry seq %d: %w (signer %s, want %s)",
			s.Entry.Seq, ErrWrongKey, shortKey(s.Signer), shortKey(contractor))
	}
	return nil
}

func decodeSigned(b []byte, msg cose.Message) (Signed, error) {
	e, err := decodePayload(msg.Payload)
	if err != nil {
		return Signed{}, fmt.Errorf("decode entry: %w", err)
	}
	if want := LogIDOf(e.ContractID, msg.Signer); e.LogID != want {
		return Signed{}, fmt.Errorf("%w: seq %d: log ID %s, but contract %s and the signer's key give %s",
			ErrWrongLog, e.Seq, short(e.LogID), short(e.ContractID), short(want))
	}
	return Signed{Bytes: bytes.Clone(b), Hash: sha256.Sum256(b), Entry: e, Signer: msg.Signer}, nil
}

func shortKey(k ed25519.PublicKey) string {
	if len(k) < 6 {
		return fmt.Sprintf("%x", []byte(k))
	}
	return fmt.Sprintf("%x", []byte(k[:6]))
}
