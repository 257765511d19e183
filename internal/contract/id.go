package contract

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
)

// ID names a contract: the SHA-256 of the exact signed offer bytes. Both
// sides compute it from the offer itself, so neither has to trust the other
// to report it.
type ID [sha256.Size]byte

// ShortIDLen is how many hex characters Short shows.
const ShortIDLen = 12

// minPrefixLen keeps a one-character prefix from matching by luck.
const minPrefixLen = 4

func idOf(signedOffer []byte) ID { return ID(sha256.Sum256(signedOffer)) }

// String is the full ID in lower-case hex (64 characters).
func (id ID) String() string { return hex.EncodeToString(id[:]) }

// Short is the first 12 hex characters, for display; commands accept it
// back as a prefix.
func (id ID) Short() string { return id.String()[:ShortIDLen] }

// ParseID reads a full 64-character hex ID. For a prefix typed by a person,
// use ParseIDPrefix and Registry.Resolve.
func ParseID(s string) (ID, error) {
	p, err := ParseIDPrefix(s)
	if err != nil {
		return ID{}, err
	}
	if len(p) != 2*len(ID{}) {
		return ID{}, fmt.Errorf("contract ID %q: want %d hex characters, got %d", s, 2*len(ID{}), len(p))
	}
	var id ID
	hex.Decode(id[:], []byte(p))
	return id, nil
}

// ParseIDPrefix checks and normalises (trims, lower-cases) a full contract
// ID or a prefix of one, at least 4 characters long.
func ParseIDPrefix(s string) (string, error) {
	p := strings.ToLower(strings.TrimSpace(s))
	if len(p) < minPrefixLen || len(p) > 2*len(ID{}) {
		return "", fmt.Errorf("contract ID %q: give at least %d of its hex characters", s, minPrefixLen)
	}
	if strings.IndexFunc(p, func(r rune) bool { return !strings.ContainsRune("0123456789abcdef", r) }) >= 0 {
		return "", fmt.Errorf("contract ID %q: only 0-9 and a-f", s)
	}
	return p, nil
}

// Bytes is the ID as a byte slice, as records carry it.
func (id ID) Bytes() []byte { return id[:] }

// MarshalText is the full ID in lower-case hex, for JSON and logs.
func (id ID) MarshalText() ([]byte, error) { return []byte(id.String()), nil }

// UnmarshalText reads a full ID as ParseID does.
func (id *ID) UnmarshalText(b []byte) error {
	p, err := ParseID(string(b))
	if err == nil {
		*id = p
	}
	return err
}
