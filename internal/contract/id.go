package contract

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"

	"github.com/workdiary/workdiary/internal/ledger"
)

// ID names a contract: the SHA-256 of the exact signed offer bytes. Both
// sides compute it from the offer itself, so neither has to trust the other
// to report it. It is the ledger's ContractID (an alias, not a copy), so
// the log, its storage and the sync take the same type the registry gives
// out, with no conversions between them; String, Short, Bytes and the text
// forms are defined there.
type ID = ledger.ContractID

// ShortIDLen is how many hex characters Short shows.
const ShortIDLen = ledger.ShortIDLen

// minPrefixLen keeps a one-character prefix from matching by luck.
const minPrefixLen = 4

func idOf(signedOffer []byte) ID { return ID(sha256.Sum256(signedOffer)) }

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
