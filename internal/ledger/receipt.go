package ledger

import (
	"bytes"
	"fmt"
)

// OpenReceipt checks that receipt is the employer's cosignature of exactly
// the checkpoint note sent (docs/format.md §5.2): the same body (origin,
// size and root), the contractor's signature line byte for byte as it was
// sent, then one line more, the employer's, which verifies. Anything else
// (an older receipt, one for another log, a note re-signed by someone
// else) is ErrNotReceipt, so a stale or foreign receipt never replaces the
// one a party keeps. It returns the checkpoint the receipt pins.
func OpenReceipt(sent, receipt []byte, contractor, employer NoteKey) (Checkpoint, error) {
	want, signers, err := OpenCheckpoint(sent, contractor)
	if err != nil || len(signers) != 1 {
		return Checkpoint{}, fmt.Errorf("%w: the checkpoint sent does not open: %v", ErrNotReceipt, err)
	}
	got, err := PeekCheckpoint(receipt)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: %v", ErrNotReceipt, err)
	}
	switch {
	case got.LogID != want.LogID:
		return Checkpoint{}, fmt.Errorf("%w: it is for log %s, the checkpoint sent for %s", ErrNotReceipt, short(got.LogID), short(want.LogID))
	case got.Size != want.Size:
		return Checkpoint{}, fmt.Errorf("%w: it cosigns size %d, the checkpoint sent has size %d", ErrNotReceipt, got.Size, want.Size)
	case got.Root != want.Root:
		return Checkpoint{}, fmt.Errorf("%w: size %d: it cosigns root %s, the checkpoint sent has %s", ErrNotReceipt, got.Size, short(got.Root), short(want.Root))
	case !bytes.HasPrefix(receipt, sent):
		return Checkpoint{}, fmt.Errorf("%w: size %d: the contractor's signature is not the one sent", ErrNotReceipt, got.Size)
	}
	_, signers, err = OpenCheckpoint(receipt, contractor, employer)
	if err != nil {
		return Checkpoint{}, fmt.Errorf("%w: size %d: %v", ErrNotReceipt, got.Size, err)
	}
	if len(signers) != 2 || signers[1].Name != employer.Name {
		return Checkpoint{}, fmt.Errorf("%w: size %d: the employer's cosignature is missing", ErrNotReceipt, got.Size)
	}
	return want, nil
}

// PeekCheckpoint reads a note's checkpoint and checks its form without
// verifying any signature: for a note whose signatures are checked next
// or that comes from one's own store.
func PeekCheckpoint(msg []byte) (Checkpoint, error) {
	n, err := parseNote(msg, checkpointBody)
	if err != nil {
		return Checkpoint{}, err
	}
	return ParseCheckpoint(n.Text)
}
