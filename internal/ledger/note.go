package ledger

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/base64"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"golang.org/x/mod/sumdb/note"
)

// MaxCheckpointSize bounds a checkpoint note; a real one is about 300 bytes.
const MaxCheckpointSize = 8 << 10

// noteAlgEd25519 is the C2SP signed-note signature type for Ed25519.
const noteAlgEd25519 = 0x01

// NoteKey is a party's public key under the name its note signatures carry.
// Workdiary uses the party's libp2p peer ID as the name.
type NoteKey struct {
	Name   string
	Public ed25519.PublicKey
}

// KeyHash returns the signed-note key hash: the first four bytes (big
// endian) of SHA-256(name || "\n" || 0x01 || public key).
func (k NoteKey) KeyHash() uint32 {
	h := sha256.New()
	h.Write([]byte(k.Name + "\n"))
	h.Write([]byte{noteAlgEd25519})
	h.Write(k.Public)
	return binary.BigEndian.Uint32(h.Sum(nil))
}

// VerifierKey returns the key in the "name+hash+base64" form that the Go
// note package and other signed-note tools read.
func (k NoteKey) VerifierKey() (string, error) {
	return note.NewEd25519VerifierKey(k.Name, k.Public)
}

func (k NoteKey) verifier() (note.Verifier, error) {
	vkey, err := k.VerifierKey()
	if err != nil {
		return nil, fmt.Errorf("note key %q: %w", k.Name, err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		return nil, fmt.Errorf("note key %q: name must be non-empty, without spaces or '+': %w", k.Name, err)
	}
	return v, nil
}

// noteSigner implements note.Signer over an in-memory Ed25519 key, so the
// private key never has to be spelled out as a "PRIVATE+KEY+…" string.
type noteSigner struct {
	key  ed25519.PrivateKey
	name string
	hash uint32
}

func newNoteSigner(key ed25519.PrivateKey, name string) (*noteSigner, error) {
	if len(key) != ed25519.PrivateKeySize {
		return nil, fmt.Errorf("note signer %q: private key is %d bytes, want %d", name, len(key), ed25519.PrivateKeySize)
	}
	k := NoteKey{Name: name, Public: key.Public().(ed25519.PublicKey)}
	if _, err := k.verifier(); err != nil { // the same name rules as verifying
		return nil, err
	}
	return &noteSigner{key: key, name: name, hash: k.KeyHash()}, nil
}

func (s *noteSigner) Name() string                    { return s.name }
func (s *noteSigner) KeyHash() uint32                 { return s.hash }
func (s *noteSigner) Sign(msg []byte) ([]byte, error) { return ed25519.Sign(s.key, msg), nil }

// SignCheckpoint returns c as a signed note with one signature, by key
// under name.
func SignCheckpoint(key ed25519.PrivateKey, name string, c Checkpoint) ([]byte, error) {
	s, err := newNoteSigner(key, name)
	if err != nil {
		return nil, err
	}
	return note.Sign(&note.Note{Text: c.Text()}, s)
}

// Cosign adds key's signature under name to a signed checkpoint or week
// close, keeping the signatures already there (in order) and putting the
// new one last; signing twice with one key leaves one signature. Cosign
// checks the form but not the existing signatures: open the note with
// OpenCheckpoint or OpenWeekClose first.
func Cosign(msg []byte, key ed25519.PrivateKey, name string) ([]byte, error) {
	n, err := parseNote(msg, anyBody)
	if err != nil {
		return nil, err
	}
	s, err := newNoteSigner(key, name)
	if err != nil {
		return nil, err
	}
	return note.Sign(n, s)
}

// OpenCheckpoint verifies a signed checkpoint against the known keys and
// returns it with the keys that signed it, in the note's order. Every
// signature must be from a known key and verify; a signature from anyone
// else is refused (ErrUnknownSigner) rather than skipped, because in a
// two-party log an extra line can only be an error or an attempt to confuse.
// Callers that need a particular party check the returned signers.
func OpenCheckpoint(msg []byte, known ...NoteKey) (Checkpoint, []NoteKey, error) {
	var c Checkpoint
	signers, err := openNote(msg, func(text string) (err error) {
		c, err = ParseCheckpoint(text)
		return err
	}, func() string { return fmt.Sprintf("%s size %d", c.Origin(), c.Size) }, known)
	if err != nil {
		return Checkpoint{}, nil, err
	}
	return c, signers, nil
}

// openNote is OpenCheckpoint for any body parse accepts; what names the
// note in errors once parsed.
func openNote(msg []byte, parse func(string) error, what func() string, known []NoteKey) ([]NoteKey, error) {
	if _, err := parseNote(msg, parse); err != nil {
		return nil, err
	}
	byID := map[string]NoteKey{}
	var vs []note.Verifier
	for _, k := range known {
		v, err := k.verifier()
		if err != nil {
			return nil, err
		}
		if id := noteKeyID(k.Name, v.KeyHash()); byID[id].Name == "" {
			byID[id] = k
			vs = append(vs, v)
		}
	}
	n, err := note.Open(msg, note.VerifierList(vs...))
	if err != nil {
		return nil, openError(what(), err)
	}
	if len(n.UnverifiedSigs) > 0 {
		s := n.UnverifiedSigs[0]
		return nil, fmt.Errorf("%w: %s: signature by %s (key hash %08x)", ErrUnknownSigner, what(), s.Name, s.Hash)
	}
	signers := make([]NoteKey, len(n.Sigs))
	for i, s := range n.Sigs {
		signers[i] = byID[noteKeyID(s.Name, s.Hash)]
	}
	return signers, nil
}

func openError(what string, err error) error {
	var unverified *note.UnverifiedNoteError
	var invalid *note.InvalidSignatureError
	switch {
	case errors.As(err, &unverified):
		var names []string
		for _, s := range unverified.Note.UnverifiedSigs {
			names = append(names, s.Name)
		}
		return fmt.Errorf("%w: %s is signed only by %s", ErrUnsigned, what, strings.Join(names, ", "))
	case errors.As(err, &invalid):
		return fmt.Errorf("checkpoint %s: %w (by %s)", what, ErrBadSignature, invalid.Name)
	}
	return fmt.Errorf("%w: %v", ErrMalformedCheckpoint, err)
}

// parseNote splits a note without verifying it, and checks what the note
// package lets through: each signature line must be canonical base64 of a
// 4-byte key hash and a 64-byte Ed25519 signature, with no key twice, and
// the body must be one parse accepts (a checkpoint, or a week close). So a
// note has exactly one byte form.
func parseNote(msg []byte, parse func(string) error) (*note.Note, error) {
	if len(msg) > MaxCheckpointSize {
		return nil, fmt.Errorf("%w: %d bytes, over the %d limit", ErrMalformedCheckpoint, len(msg), MaxCheckpointSize)
	}
	_, err := note.Open(msg, nil)
	var unverified *note.UnverifiedNoteError
	if !errors.As(err, &unverified) {
		return nil, fmt.Errorf("%w: not a signed note: %v", ErrMalformedCheckpoint, err)
	}
	if err := checkSigLines(msg); err != nil {
		return nil, err
	}
	if err := parse(unverified.Note.Text); err != nil {
		return nil, err
	}
	return unverified.Note, nil
}

func checkSigLines(msg []byte) error {
	block := msg[bytes.LastIndex(msg, []byte("\n\n"))+2:] // note.Open found the blank line
	seen := map[string]bool{}
	for i, line := range strings.Split(strings.TrimSuffix(string(block), "\n"), "\n") {
		rest, _ := strings.CutPrefix(line, "— ")
		name, b64, _ := strings.Cut(rest, " ")
		raw, err := base64.StdEncoding.Strict().DecodeString(b64)
		if err != nil || len(raw) != 4+ed25519.SignatureSize || base64.StdEncoding.EncodeToString(raw) != b64 {
			return fmt.Errorf("%w: signature line %d is not base64 of a key hash and an Ed25519 signature", ErrMalformedCheckpoint, i+1)
		}
		id := noteKeyID(name, binary.BigEndian.Uint32(raw))
		if seen[id] {
			return fmt.Errorf("%w: signature line %d repeats key %s", ErrMalformedCheckpoint, i+1, id)
		}
		seen[id] = true
	}
	return nil
}

func noteKeyID(name string, hash uint32) string {
	return name + "+" + hex.EncodeToString(binary.BigEndian.AppendUint32(nil, hash))
}
