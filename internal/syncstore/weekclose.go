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

var (
	_ syncp2p.WeekCloser    = (*Adapter)(nil)
	_ syncp2p.CloseCosigner = (*Adapter)(nil)
)

// EntryRules are c's entry rules with the weeks both parties have closed
// (docs/format.md §5.3), as kept in st: time for a closed week is refused
// on this side as on the other.
func EntryRules(st *store.Store, c *contract.Contract) (contract.EntryRules, error) {
	r := c.EntryRules()
	if c.Acceptance == nil {
		return r, nil
	}
	logID := ledger.LogIDOf(c.ID(), c.Acceptance.Contractor.PublicKey)
	var closes []ledger.WeekClose
	err := st.View(func(x *store.Txn) (err error) {
		closes, err = logdb.Closes(x, logID)
		return err
	})
	return r.WithClosed(closes), err
}

// closeSlack tolerates an employer's clock a little behind the
// contractor's when a week's deadline has just passed.
const closeSlack = 10 * time.Minute

// readLog reads a stored log, seq 1 to head, from this store (which kept
// only verified entries, or its own) for its week closes.
func readLog(x *store.Txn, logID ledger.LogID) (ledger.StoredLog, error) {
	head, err := logdb.Head(x, logID)
	if err != nil {
		return ledger.StoredLog{}, err
	}
	raw, err := logdb.Entries(x, logID, 1, head.Seq)
	if err != nil {
		return ledger.StoredLog{}, err
	}
	return ledger.ReadStoredLog(logID, raw)
}

// dueWeeks are the starts of c's weeks whose deadline has passed by now,
// from the week the contract could first have time in, oldest first, to
// the week of its end.
func dueWeeks(c *contract.Contract, now time.Time) []time.Time {
	r := c.EntryRules()
	if r.CloseAfter <= 0 {
		return nil
	}
	var out []time.Time
	for week := r.Weeks.Begin(r.NotBefore); !r.Deadline(week).After(now); week = r.Weeks.Next(week) {
		if c.End != nil && week.After(c.End.At) {
			break
		}
		out = append(out, week)
	}
	return out
}

// Closes signs the closes of the weeks whose deadline has passed and that
// are not closed yet, at the log's head: the contractor's side of a week
// close. Its node no longer signs time for those weeks (the entry rules),
// so the head holds all of it.
func (s *Adapter) Closes(id contract.ID) ([][]byte, error) {
	c, logID, err := s.ownLog(id, "")
	if err != nil || c.Acceptance == nil {
		return nil, err
	}
	me, err := s.d.Identity()
	if err != nil {
		return nil, err
	}
	var out [][]byte
	err = s.d.Store.View(func(x *store.Txn) error {
		var open []time.Time // due and not closed yet, oldest first
		for _, week := range dueWeeks(c, s.d.Clock.Now()) {
			kept, err := logdb.Close(x, logID, week.Unix())
			if err != nil {
				return err
			}
			if kept == nil && len(open) < syncp2p.MaxClosesPerRound {
				open = append(open, week)
			}
		}
		if len(open) == 0 { // the usual round: nothing to read
			return nil
		}
		log, err := readLog(x, logID)
		if err != nil {
			return err
		}
		cp := log.Checkpoint()
		for _, week := range open {
			w := log.WeekCloseAt(cp, week.Unix(), c.Offer.Weeks().Next(week).Unix(), c.Acceptance.Signed())
			note, err := ledger.SignWeekClose(me.PrivateKey(), me.PeerID().String(), w)
			if err != nil {
				return err
			}
			out = append(out, note)
		}
		return nil
	})
	return out, err
}

// CosignCloses is the employer's side: it cosigns a close only when its
// own copy gives the same close (size at its head, root, the week's
// entries, the acceptance it holds), the week is one of the contract's
// and its deadline has passed by this clock. It keeps what it cosigns.
func (s *Adapter) CosignCloses(id contract.ID, notes [][]byte) ([][]byte, error) {
	c, logID, err := s.received(id, "")
	if err != nil {
		return nil, err
	}
	me, err := s.d.Identity()
	if err != nil {
		return nil, err
	}
	var out [][]byte
	var left []error // why a close was not cosigned, said once the transaction is done
	err = s.d.Store.UpdateRetrying(func(x *store.Txn) error {
		out, left = out[:0], left[:0]
		log, err := readLog(x, logID)
		if err != nil {
			return err
		}
		cp := log.Checkpoint()
		for _, note := range notes {
			cosigned, err := s.cosignClose(x, c, logID, log, cp, note, me.PrivateKey(), me.PeerID().String())
			if err != nil {
				left = append(left, err)
				continue
			}
			out = append(out, cosigned)
		}
		return nil
	})
	for _, why := range left {
		s.d.Log.Warn("week close not cosigned", "contract", id.Short(), "err", why)
	}
	return out, unavailable(s.d.Log, err)
}

// cosignClose checks one close against the copy and cosigns and keeps it;
// a week already closed with exactly this close gets the kept one again.
func (s *Adapter) cosignClose(x *store.Txn, c *contract.Contract, logID ledger.LogID, log ledger.StoredLog, cp ledger.Checkpoint, note []byte, key []byte, name string) ([]byte, error) {
	w, signers, err := ledger.OpenWeekClose(note, NoteKey(c.Acceptance.Contractor.PublicKey))
	if err != nil || len(signers) != 1 {
		return nil, fmt.Errorf("not a week close by the contractor: %v", err)
	}
	week := time.Unix(w.Week, 0).UTC()
	rules := c.EntryRules()
	switch deadline := rules.Deadline(week); {
	case !rules.Weeks.IsStart(week):
		return nil, fmt.Errorf("%v: not the start of one of the contract's weeks", w)
	case deadline.IsZero():
		return nil, fmt.Errorf("%v: the contract's weeks do not close", w)
	case s.d.Clock.Now().Add(closeSlack).Before(deadline):
		return nil, fmt.Errorf("%v: the week closes at %s by this clock", w, deadline.Format(time.RFC3339))
	}
	if kept, err := logdb.Close(x, logID, w.Week); err != nil || kept != nil {
		if err == nil && !bytes.HasPrefix(kept, note) {
			err = fmt.Errorf("%v: the week is already closed at another size", w)
		}
		return kept, err
	}
	if want := log.WeekCloseAt(cp, w.Week, rules.Weeks.Next(week).Unix(), c.Acceptance.Signed()); want != w {
		return nil, fmt.Errorf("%v: this copy gives %v (root, entries or acceptance differ)", w, want)
	}
	cosigned, err := ledger.Cosign(note, key, name)
	if err != nil {
		return nil, err
	}
	return cosigned, logdb.SaveClose(x, logID, w, cosigned)
}
