package ledger

import (
	"encoding/hex"
	"fmt"
	"strings"
)

// The identifiers of different things are their own types, so that a
// function taking two of them (a contract and an image, a contract and a
// log) cannot have them swapped. An unnamed [32]byte still assigns to any
// of them; a raw digest (a Merkle hash, a chain hash) stays a [32]byte.

// ContractID names a contract: the SHA-256 of the exact signed offer bytes
// (contract.ID is this type). Both sides compute it from the offer, so
// neither has to trust the other to report it.
type ContractID [32]byte

// ShortIDLen is how many hex characters ContractID.Short shows.
const ShortIDLen = 12

// String is the full ID in lower-case hex (64 characters).
func (id ContractID) String() string { return hex.EncodeToString(id[:]) }

// Short is the first 12 hex characters, for display; commands accept it
// back as a prefix.
func (id ContractID) Short() string { return id.String()[:ShortIDLen] }

// Bytes is the ID as a byte slice, as records carry it.
func (id ContractID) Bytes() []byte { return id[:] }

// MarshalText is the full ID in lower-case hex, for JSON and logs.
func (id ContractID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText reads a full ID in hex, either case, spaces around it
// ignored (a prefix typed by a person is contract.ParseIDPrefix's).
func (id *ContractID) UnmarshalText(b []byte) error {
	return unmarshalHex(id[:], []byte(strings.ToLower(strings.TrimSpace(string(b)))), "contract ID")
}

// LogID names the log a contractor writes for a contract (LogIDOf): it
// binds the contractor's key, so a log ID alone says whose signatures to
// expect.
type LogID [32]byte

// String is the full ID in lower-case hex (64 characters).
func (id LogID) String() string { return hex.EncodeToString(id[:]) }

// MarshalText is the full ID in lower-case hex, for JSON and logs.
func (id LogID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText reads the 64 hex characters MarshalText writes.
func (id *LogID) UnmarshalText(b []byte) error { return unmarshalHex(id[:], b, "log ID") }

// ImageHash names an image by the SHA-256 of its bytes, as an entry
// commits to it (Image.SHA256).
type ImageHash [32]byte

// String is the hash in lower-case hex (64 characters).
func (h ImageHash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText is the hash in lower-case hex, for JSON and logs.
func (h ImageHash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads the 64 hex characters MarshalText writes.
func (h *ImageHash) UnmarshalText(b []byte) error { return unmarshalHex(h[:], b, "image hash") }

// unmarshalHex decodes exactly len(dst) bytes of hex from b into dst.
func unmarshalHex(dst, b []byte, what string) error {
	if len(b) != hex.EncodedLen(len(dst)) {
		return fmt.Errorf("%s %q: want %d hex characters", what, b, hex.EncodedLen(len(dst)))
	}
	if _, err := hex.Decode(dst, b); err != nil {
		return fmt.Errorf("%s %q: %w", what, b, err)
	}
	return nil
}
