package syncstore

import (
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

var _ syncp2p.Kept = (*Adapter)(nil)

// NewestReceipt is the newest checkpoint this employer cosigned of the
// contract's log (nil while none).
func (s *Adapter) NewestReceipt(id contract.ID) ([]byte, error) {
	_, logID, err := s.received(id, "")
	if err != nil {
		return nil, err
	}
	var note []byte
	err = s.d.Store.View(func(x *store.Txn) (err error) {
		note, err = logdb.Note(x, logID, logdb.NoteCosigned)
		return err
	})
	return note, err
}

// CosignedCloses are the closes this employer cosigned and kept, the
// newest max weeks, oldest first.
func (s *Adapter) CosignedCloses(id contract.ID, max int) ([][]byte, error) {
	_, logID, err := s.received(id, "")
	if err != nil {
		return nil, err
	}
	var notes [][]byte
	err = s.d.Store.View(func(x *store.Txn) (err error) {
		notes, err = logdb.CloseNotes(x, logID)
		return err
	})
	if len(notes) > max {
		notes = notes[len(notes)-max:]
	}
	return notes, err
}
