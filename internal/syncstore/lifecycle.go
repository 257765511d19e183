package syncstore

import (
	"errors"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// Bind is the contractor's side of the employer's changes: each record the
// employer sent is checked against the contract as this log binds it
// (contract.Lifecycle.Bind, with this clock) and bound into the log when
// it applies (Deps.BindRecord). One that does not apply (forged, foreign,
// a backdated end reaching into a closed week, an amendment of a week
// that has begun, a dispute outside its review window) is refused: nothing
// of it is kept, and the round fails with why, so the employer sees it.
func (s *Adapter) Bind(id contract.ID, records [][]byte) error {
	c, _, err := s.ownLog(id, "")
	if err != nil {
		return err
	}
	bound := 0
	for _, r := range records {
		if c.Life != nil && c.Life.Has(r) {
			continue
		}
		now := s.d.Clock.Now().UTC().Truncate(time.Second)
		if err := s.d.BindRecord(c.ID(), r, now); err != nil {
			if store.IsDiskProblem(err) {
				return err
			}
			s.d.Log.Warn("sync: refused a change of the contract", "contract", c.ID().Short(), "err", err)
			return fmt.Errorf("%w: the contractor's node does not bind this change: %v", syncp2p.ErrTerms, err)
		}
		bound++
		if c, err = s.d.Contracts.Get(c.ID()); err != nil {
			return err
		}
	}
	if bound > 0 {
		s.contractsChanged()
		s.diaryChanged()
	}
	return nil
}

// Proposed are the employer's records still to bind, without those that
// no longer would (their moment has passed).
func (s *Adapter) Proposed(id contract.ID) ([][]byte, error) {
	c, _, err := s.received(id, "")
	if err != nil {
		return nil, err
	}
	if len(c.Proposed()) == 0 {
		return nil, nil
	}
	return s.d.Contracts.Prune(c.ID(), s.d.Clock.Now())
}

// bindReceived records the record entries of a committed batch in the
// registry, inside the batch's transaction. The receiver has checked them
// (syncp2p refusals); a refused one binds nothing.
func bindReceived(x *store.Txn, id contract.ID, entries []ledger.Signed, refused []syncp2p.Refusal) error {
	skip := map[uint64]bool{}
	for _, r := range refused {
		skip[r.Seq] = true
	}
	for _, s := range entries {
		e := s.Entry
		if e.Kind != ledger.KindRecord || skip[e.Seq] {
			continue
		}
		_, err := contract.BindIn(x, id, e.Record, time.Unix(e.ApprovedAt, 0))
		if err != nil && !errors.Is(err, contract.ErrAlreadyBound) {
			return fmt.Errorf("bind seq %d: %w", e.Seq, err)
		}
	}
	return nil
}

// boundAny reports whether a batch carries record entries (the contract
// changed with it).
func boundAny(entries []ledger.Signed) bool {
	for _, s := range entries {
		if s.Entry.Kind == ledger.KindRecord {
			return true
		}
	}
	return false
}
