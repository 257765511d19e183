package ledger

import (
	"crypto/ed25519"
	"fmt"

	"github.com/workdiary/workdiary/internal/cose"
)

// VerifyPinned verifies a whole log, from seq 1, whose bytes a checkpoint
// signed by the contractor pins: the entries must be exactly cp's size and
// give its root, which every byte of every entry feeds; then each entry is
// decoded (on every core) and the chain rules applied as VerifyChain
// applies them (contract, log, seq, prev hash, segments, voids), but no
// entry's own signature is checked. The contractor's signature on the
// root already covers every entry, and checking each of a year's 2,600
// signatures again was nearly all of an open week's timesheet; decoding
// them is now most of it. Callers check the signature
// of every entry they count with VerifyEntry, as VerifyWeek does for a
// closed week's. cp must come from a note opened with the contractor's key.
func VerifyPinned(contractID [32]byte, contractor ed25519.PublicKey, cp Checkpoint, entries [][]byte) ([]Signed, error) {
	v, err := NewVerifier(contractID, contractor, Head{}, nil)
	if err != nil {
		return nil, err
	}
	if err := CheckCheckpoint(cp, v.logID, entries); err != nil {
		return nil, err
	}
	// Decoding does not depend on order: it runs on every core, and the
	// chain rules then take the results in order, with the same errors.
	out := make([]opened, len(entries))
	onEveryCore(len(entries), func(i int) { out[i].s, out[i].err = readPinned(entries[i], contractor) })
	return v.acceptAll(entries, func(i int) (Signed, error) { return out[i].s, out[i].err })
}

// readPinned is VerifyEntry without the signature check, for an entry
// whose bytes a signature over the log's root covers: the same size limit,
// envelope, decoding, validation, log ID and signer.
func readPinned(b []byte, contractor ed25519.PublicKey) (Signed, error) {
	s, err := openEnvelope(b, cose.Unverified)
	if err == nil && !s.Signer.Equal(contractor) {
		err = fmt.Errorf("entry seq %d: %w (signer %s, want %s)", s.Entry.Seq, ErrWrongKey, shortKey(s.Signer), shortKey(contractor))
	}
	return s, err
}
