package ledger

import (
	"crypto/ed25519"
	"fmt"

	"github.com/workdiary/workdiary/internal/cose"
)

// Decoded is a batch of entries decoded before their signatures are
// checked, so that a receiver can plan with them (which images to ask
// for) while VerifyDecoded checks the signatures. Until then nothing in
// it is trusted: it may be read, never stored.
type Decoded struct {
	raw     [][]byte
	entries []Signed
}

// DecodeBatch decodes a batch's entries without checking their
// signatures. It fails where an entry does not decode (then VerifyChain
// refuses the batch too, and says why in the order it checks).
//
// The entries are decoded on every core, as VerifyDecoded checks them:
// a week's batch is a few hundred, and the images wait for them.
func DecodeBatch(entries ...[]byte) (Decoded, error) {
	d := Decoded{raw: entries, entries: make([]Signed, len(entries))}
	errs := make([]error, len(entries))
	onEveryCore(len(entries), func(i int) { d.entries[i], errs[i] = openEnvelope(entries[i], cose.Unverified) })
	for _, err := range errs {
		if err != nil {
			return Decoded{}, err // the first in the batch's order
		}
	}
	return d, nil
}

// Entries are the batch's entries as decoded, signatures unchecked.
func (d Decoded) Entries() []Signed { return d.entries }

// VerifyDecoded is VerifyChain over a batch DecodeBatch decoded: the same
// checks with the same errors, without decoding the entries again. Only
// the signatures remain to check, each by cose.Open over the same bytes
// (which DecodeBatch found well formed, so a signature that does not
// verify is the only way it fails).
func VerifyDecoded(contractID ContractID, contractor ed25519.PublicKey, from Head, earlier History, d Decoded) ([]Signed, error) {
	v, err := NewVerifier(contractID, contractor, from, earlier)
	if err != nil {
		return nil, err
	}
	errs := make([]error, len(d.raw))
	// The receiver fetches the batch's images meanwhile (fetching takes
	// longer than this): the fetch keeps a core.
	onAllButOneCore(len(d.raw), func(i int) { errs[i] = checkSigned(d.raw[i], d.entries[i], contractor) })
	return v.acceptAll(d.raw, func(i int) (Signed, error) {
		if errs[i] != nil {
			return Signed{}, errs[i]
		}
		return d.entries[i], nil
	})
}

// checkSigned is what VerifyEntry checks beyond decoding b as s: the
// signature, and that contractor made it.
func checkSigned(b []byte, s Signed, contractor ed25519.PublicKey) error {
	if _, err := cose.Open(b); err != nil {
		return fmt.Errorf("open entry: %w", err)
	}
	return signedBy(s, contractor)
}
