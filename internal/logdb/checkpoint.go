package logdb

import (
	"encoding/binary"
	"errors"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
)

// Checkpoint computes the checkpoint of the whole stored log (size and
// RFC 6962 root) from the stored entry bytes.
func Checkpoint(x *store.Txn, logID ledger.LogID) (ledger.Checkpoint, error) {
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
// contractor). Receipts go through SaveReceipt.
func SaveNote(x *store.Txn, logID ledger.LogID, kind string, note []byte) error {
	return x.Set(key(logID, kind), note)
}

// Note reads the latest note of a kind, or nil when there is none.
func Note(x *store.Txn, logID ledger.LogID, kind string) ([]byte, error) {
	b, err := x.Get(key(logID, kind))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return b, err
}

// Note kinds.
const (
	NoteCheckpoint = "cp"
	// NoteCosigned is the newest receipt (the checkpoint of the largest
	// size both parties signed), kept by SaveReceipt.
	NoteCosigned = "cosig"
)

// SaveReceipt keeps a cosigned checkpoint of the given size beside the
// others, one per size, and makes it the newest (NoteCosigned) unless a
// receipt for a larger size is already kept: a receipt for an older
// checkpoint never hides a newer one. The caller has checked the receipt
// (ledger.OpenReceipt on the contractor's side, its own cosignature on
// the employer's).
func SaveReceipt(x *store.Txn, logID ledger.LogID, size uint64, note []byte) error {
	newest, ok, err := newestReceiptSize(x, logID)
	if err != nil {
		return err
	}
	if err := x.Set(key(logID, "rcpt", size), note); err != nil {
		return err
	}
	if ok && newest > size {
		return nil
	}
	return x.Set(key(logID, NoteCosigned), note)
}

// Receipt reads the receipt kept for a size, or nil when there is none.
func Receipt(x *store.Txn, logID ledger.LogID, size uint64) ([]byte, error) {
	b, err := x.Get(key(logID, "rcpt", size))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return b, err
}

// ReceiptSizes lists the sizes of the receipts kept, in increasing order.
func ReceiptSizes(x *store.Txn, logID ledger.LogID) ([]uint64, error) {
	prefix := append(key(logID, "rcpt"), '/')
	var out []uint64
	err := x.Scan(prefix, prefix, func(k, _ []byte) (bool, error) {
		out = append(out, binary.BigEndian.Uint64(k[len(k)-8:]))
		return true, nil
	})
	return out, err
}

func newestReceiptSize(x *store.Txn, logID ledger.LogID) (uint64, bool, error) {
	prefix := append(key(logID, "rcpt"), '/')
	var size uint64
	var ok bool
	err := x.ScanReverse(prefix, func(k, _ []byte) (bool, error) {
		size, ok = binary.BigEndian.Uint64(k[len(k)-8:]), true
		return false, nil
	})
	return size, ok, err
}
