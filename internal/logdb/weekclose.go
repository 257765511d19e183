package logdb

import (
	"errors"
	"fmt"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
)

// Week closes are kept per week (log/L/close/N, N the week's start in
// Unix seconds): the cosigned note both parties signed, one per week and
// never replaced, so a second close of a week cannot move it.

// SaveClose keeps a cosigned week close the caller has checked. A week
// already closed keeps its first close: saving the same note again is
// harmless, another note is ErrClosedTwice.
func SaveClose(x *store.Txn, logID ledger.LogID, w ledger.WeekClose, note []byte) error {
	old, err := Close(x, logID, w.Week)
	if err != nil {
		return err
	}
	if old != nil {
		if string(old) == string(note) {
			return nil
		}
		return fmt.Errorf("%w: %s", ErrClosedTwice, w)
	}
	return x.Set(key(logID, "close", w.Week), note)
}

// ErrClosedTwice: a week already has another cosigned close.
var ErrClosedTwice = errors.New("the week is already closed at another size")

// Close reads the cosigned close of the week starting at week (Unix
// seconds), or nil.
func Close(x *store.Txn, logID ledger.LogID, week int64) ([]byte, error) {
	b, err := x.Get(key(logID, "close", week))
	if errors.Is(err, store.ErrNotFound) {
		return nil, nil
	}
	return b, err
}

// Closes reads every kept close of the log, by week. Notes come from this
// store, which kept them only after checking both signatures, so they are
// parsed, not verified again.
func Closes(x *store.Txn, logID ledger.LogID) ([]ledger.WeekClose, error) {
	prefix := append(key(logID, "close"), '/')
	var out []ledger.WeekClose
	err := x.Scan(prefix, prefix, func(_, v []byte) (bool, error) {
		w, err := ledger.PeekWeekClose(v)
		if err != nil {
			return false, fmt.Errorf("kept week close: %w", err)
		}
		out = append(out, w)
		return true, nil
	})
	return out, err
}

// CloseNotes reads the kept cosigned closes of the log as kept, oldest
// week first: the notes a reply hands back to the contractor.
func CloseNotes(x *store.Txn, logID ledger.LogID) ([][]byte, error) {
	prefix := append(key(logID, "close"), '/')
	var out [][]byte
	err := x.Scan(prefix, prefix, func(_, v []byte) (bool, error) {
		out = append(out, append([]byte(nil), v...))
		return true, nil
	})
	return out, err
}
