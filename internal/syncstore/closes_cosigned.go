package syncstore

import (
	"bytes"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// ClosesCosigned keeps the cosigned closes the employer returned for the
// closes sent: the cosignature of exactly a close sent, or, for a week it
// had already closed at another size, the close it kept (a round whose
// answer was lost after the employer cosigned, then the log grew and the
// close went again at the new head). Each must carry this node's own
// signature first and the employer's second, be of this contract's log and
// of a week a close was sent for, close each week once, and be what this
// log gives at its size (the week's entries, root and acceptance). Anything
// else refuses them all and nothing is kept; a week the employer did not
// answer for is sent again next round.
func (s *Adapter) ClosesCosigned(id contract.ID, sent, cosigned [][]byte) error {
	c, logID, err := s.ownLog(id, "")
	if err != nil {
		return err
	}
	me, err := s.d.Identity()
	if err != nil {
		return err
	}
	if c.Acceptance == nil && len(cosigned) > 0 {
		return fmt.Errorf("%w: week closes of a contract not accepted yet", syncp2p.ErrCheckpoint)
	}
	mine, theirs := NoteKey(me.PublicKey()), NoteKey(c.Offer.EmployerKey)
	weeks := make(map[int64]bool, len(sent)) // the weeks a close was sent for
	for _, note := range sent {
		if w, err := ledger.PeekWeekClose(note); err == nil {
			weeks[w.Week] = true
		}
	}
	keep := make([]ledger.WeekClose, 0, len(cosigned))
	for _, got := range cosigned {
		w, err := openAnswer(sent, got, weeks, mine, theirs)
		switch {
		case err != nil:
		case w.LogID != logID:
			err = fmt.Errorf("%v is of another contract's log", w)
		case !weeks[w.Week]:
			err = fmt.Errorf("%v: no close of that week was sent, or it is answered twice", w)
		default:
			weeks[w.Week] = false // a week closes once
		}
		if err != nil {
			return fmt.Errorf("%w: %w", syncp2p.ErrCheckpoint, err)
		}
		keep = append(keep, w)
	}
	if len(cosigned) < len(sent) {
		s.d.Log.Warn("the employer did not cosign every week close sent; they go again next round",
			"contract", contract.ID(id).Short(), "sent", len(sent), "cosigned", len(cosigned))
	}
	err = s.d.Store.UpdateRetrying(func(x *store.Txn) error {
		if err := s.givenByLog(x, c, logID, keep, cosigned); err != nil {
			return fmt.Errorf("%w: %w", syncp2p.ErrCheckpoint, err)
		}
		for i, w := range keep {
			if err := logdb.SaveClose(x, logID, w, cosigned[i]); err != nil {
				return err
			}
		}
		return nil
	})
	if err == nil && len(keep) > 0 {
		s.diaryChanged()
	}
	return err
}

// openAnswer opens one cosigned close: the cosignature of a close sent, or
// a close this node signed earlier of one of the weeks sent (its first
// signature line, ledger.FirstSigned), both checked by OpenCosignedClose.
func openAnswer(sent [][]byte, got []byte, weeks map[int64]bool, mine, theirs ledger.NoteKey) (ledger.WeekClose, error) {
	for _, note := range sent {
		if bytes.HasPrefix(got, note) {
			return ledger.OpenCosignedClose(note, got, mine, theirs)
		}
	}
	first, err := ledger.FirstSigned(got)
	if err != nil {
		return ledger.WeekClose{}, fmt.Errorf("a cosigned week close for a close not sent: %w", err)
	}
	w, err := ledger.PeekWeekClose(first)
	if err != nil || !weeks[w.Week] {
		return ledger.WeekClose{}, fmt.Errorf("a cosigned week close for a close not sent")
	}
	if w, err = ledger.OpenCosignedClose(first, got, mine, theirs); err != nil {
		return w, fmt.Errorf("the close the employer kept of a week sent: %w", err)
	}
	return w, nil
}

// givenByLog checks that each close to keep is the close this log gives
// at the close's size: a close this node signed but its log does not give
// (another log under the same key, a store restored from an older copy)
// is refused. A close kept already, byte for byte, is not checked again.
func (s *Adapter) givenByLog(x *store.Txn, c *contract.Contract, logID ledger.LogID, keep []ledger.WeekClose, notes [][]byte) error {
	var log ledger.StoredLog
	read := false
	for i, w := range keep {
		if kept, err := logdb.Close(x, logID, w.Week); err != nil || bytes.Equal(kept, notes[i]) {
			if err != nil {
				return err
			}
			continue
		}
		if !read {
			var err error
			if log, err = readLog(x, logID); err != nil {
				return err
			}
			read = true
		}
		if w.Size > uint64(log.Size()) {
			return fmt.Errorf("%v: this log has %d entries", w, log.Size())
		}
		week := time.Unix(w.Week, 0).UTC()
		at := log.Upto(int(w.Size))
		want := at.WeekCloseAt(at.Checkpoint(), w.Week, c.Offer.Weeks().Next(week).Unix(), c.Acceptance.Signed())
		if want != w {
			return fmt.Errorf("%v: this log gives %v at that size (root, entries or acceptance differ)", w, want)
		}
	}
	return nil
}
