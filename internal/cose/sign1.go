package cose

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/fxamacker/cbor/v2"
)

// Errors a caller can tell apart with errors.Is.
var (
	ErrMalformed    = errors.New("malformed signed message")
	ErrBadSignature = errors.New("signature does not verify")
	ErrWrongKey     = errors.New("signed by a different key")
)

const (
	tagSign1     = 18
	headerAlg    = 1
	headerKID    = 4
	algEdDSA     = -8
	sigContext   = "Signature1"
	maxSign1Size = 16 << 20
)

// emptyMap is the CBOR empty map (0xa0). A nil or null header would verify
// just as well, so only this form is accepted: one message, one hash.
var emptyMap = cbor.RawMessage{0xa0}

type protectedHeader struct {
	Alg int    `cbor:"1,keyasint"`
	KID []byte `cbor:"4,keyasint"`
}

type sign1 struct {
	_           struct{} `cbor:",toarray"`
	Protected   []byte
	Unprotected cbor.RawMessage // always the empty map: one byte form only
	Payload     []byte
	Signature   []byte
}

// Sign returns a tagged COSE_Sign1 message over payload, signed by key. The
// protected header names the algorithm (EdDSA) and the signer's public key
// as key ID, so a message says who signed it.
func Sign(key ed25519.PrivateKey, payload []byte) ([]byte, error) {
	pub := key.Public().(ed25519.PublicKey)
	protected, err := Marshal(protectedHeader{Alg: algEdDSA, KID: pub})
	if err != nil {
		return nil, err
	}
	toSign, err := sigStructure(protected, payload)
	if err != nil {
		return nil, err
	}
	msg := sign1{Protected: protected, Unprotected: emptyMap, Payload: payload,
		Signature: ed25519.Sign(key, toSign)}
	return Marshal(cbor.Tag{Number: tagSign1, Content: msg})
}

// Message is a decoded COSE_Sign1 whose signature has been checked.
type Message struct {
	Signer  ed25519.PublicKey
	Payload []byte
}

// Open decodes a COSE_Sign1 message and verifies its signature against the
// key named in its own header. Callers that expect a particular signer use
// Verify instead.
func Open(data []byte) (Message, error) {
	msg, hdr, err := parse(data)
	if err != nil {
		return Message{}, err
	}
	toSign, err := sigStructure(msg.Protected, msg.Payload)
	if err != nil {
		return Message{}, err
	}
	if !verifySig(hdr.KID, toSign, msg.Signature) {
		return Message{}, ErrBadSignature
	}
	return Message{Signer: ed25519.PublicKey(hdr.KID), Payload: msg.Payload}, nil
}

// Unverified decodes a COSE_Sign1 message as Open does but does not check
// its signature. It is only for messages this program signed and kept in
// its own store, read back where a verification would repeat itself, and
// for messages whose exact bytes a checked signature over their hash
// already covers (a log's entries under a cosigned checkpoint's root);
// anything else that came from elsewhere goes through Open.
func Unverified(data []byte) (Message, error) {
	msg, hdr, err := parse(data)
	if err != nil {
		return Message{}, err
	}
	return Message{Signer: ed25519.PublicKey(hdr.KID), Payload: msg.Payload}, nil
}

// parse decodes a tagged COSE_Sign1 message and checks its headers.
func parse(data []byte) (sign1, protectedHeader, error) {
	var msg sign1
	var hdr protectedHeader
	if len(data) > maxSign1Size {
		return msg, hdr, fmt.Errorf("%w: %d bytes is over the %d limit", ErrMalformed, len(data), maxSign1Size)
	}
	var tag cbor.RawTag
	if err := Unmarshal(data, &tag); err != nil {
		return msg, hdr, err
	}
	if tag.Number != tagSign1 {
		return msg, hdr, fmt.Errorf("%w: tag %d, want %d", ErrMalformed, tag.Number, tagSign1)
	}
	if err := Unmarshal(tag.Content, &msg); err != nil {
		return msg, hdr, err
	}
	if err := Unmarshal(msg.Protected, &hdr); err != nil {
		return msg, hdr, fmt.Errorf("protected header: %w", err)
	}
	if hdr.Alg != algEdDSA {
		return msg, hdr, fmt.Errorf("%w: algorithm %d, want EdDSA (%d)", ErrMalformed, hdr.Alg, algEdDSA)
	}
	if len(hdr.KID) != ed25519.PublicKeySize {
		return msg, hdr, fmt.Errorf("%w: key ID is %d bytes, want an Ed25519 key", ErrMalformed, len(hdr.KID))
	}
	if string(msg.Unprotected) != string(emptyMap) {
		return msg, hdr, fmt.Errorf("%w: unprotected header must be empty", ErrMalformed)
	}
	return msg, hdr, nil
}

// Verify is Open plus a check that want signed the message.
func Verify(data []byte, want ed25519.PublicKey) ([]byte, error) {
	m, err := Open(data)
	if err != nil {
		return nil, err
	}
	if !m.Signer.Equal(want) {
		return nil, ErrWrongKey
	}
	return m.Payload, nil
}

func sigStructure(protected, payload []byte) ([]byte, error) {
	return Marshal([]any{sigContext, protected, []byte{}, payload})
}
