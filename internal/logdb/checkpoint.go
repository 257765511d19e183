package logdb

import (
	"errors"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
)

// Checkpoint computes the checkpoint of the whole stored log (size and
// RFC 6962 root) from the stored entry bytes.
func Checkpoint(x *store.Txn, logID [32]byte) (ledger.Checkpoint, error) {
	head, err := Head(x, logID)
	if err != nil {
		return ledger.Checkpoint{}, err
	}
	entries, err := Entries(x, logID, 1, head.Seq)
	if err != nil {
		return ledger.Checkpoint{}, err
	}
	return ledger.CheckpointFor(logID, entries), nil
}

// SaveNote keeps the latest checkpoint note of a kind ("cp" signed by the
// contractor, "cosig" cosigned by the employer).
func SaveNote(x *store.Txn, logID [32]byte, kind string, note []byte) error {
	return x.Set(key(logID, kind), note)
}

// Note reads the latest note of a kind, or nil when there is none.
func Note(x *store.Txn, logID [32]byte, kind string) ([]byte, error) {
	b, err := x.Get(key(logID, kind))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return b, err
}

// Note kinds.
const (
	NoteCheckpoint = "cp"
	NoteCosigned   = "cosig"
)
