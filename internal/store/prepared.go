package store

import (
	"errors"

	badger "github.com/dgraph-io/badger/v4"
)

// Prepared is a write built ahead of its commit (Prepare), for one
// goroutine at a time.
type Prepared struct {
	s  *Store
	fn func(*Txn) error
	db *badger.DB
	t  *badger.Txn // nil once CommitAfter or Discard was called
}

// errPreparedUsed is CommitAfter's error after a CommitAfter or Discard.
var errPreparedUsed = errors.New("store: a prepared write commits at most once, and not after Discard")

// Prepare runs fn in a read-write transaction now and keeps its writes
// for CommitAfter, or for Discard: a sync round builds a batch's entries
// while the batch's images still arrive, so that its commit then waits
// only for those. If a commit changes what fn read before this one
// commits, fn runs again on a fresh snapshot at the commit, as
// UpdateRetrying's does, so fn must act only through its Txn and assign
// its results afresh on each run. It refuses as Update does; fn's error
// leaves nothing prepared.
func (s *Store) Prepare(fn func(*Txn) error) (*Prepared, error) {
	if err := s.writable(0); err != nil {
		return nil, err
	}
	p := &Prepared{s: s, fn: fn}
	err := s.withDB(func(db *badger.DB) error {
		t := db.NewTransaction(true)
		if err := fn(&Txn{t: t}); err != nil {
			t.Discard()
			return err
		}
		p.db, p.t = db, t
		return nil
	})
	if err != nil {
		return nil, ExplainDiskError(s.dir, err)
	}
	return p, nil
}

// CommitAfter runs first, then commits the prepared writes if it
// succeeded. Either's error leaves the store unchanged. A commit that
// lost a race since Prepare is built again and retried (UpdateRetrying).
func (p *Prepared) CommitAfter(first func() error) error {
	if p.t == nil {
		return errPreparedUsed
	}
	if err := first(); err != nil {
		p.Discard()
		return err
	}
	if err := p.s.writable(0); err != nil {
		p.Discard()
		return err
	}
	err := p.s.withDB(func(db *badger.DB) error {
		t := p.t
		p.t = nil
		switch {
		case db.IsClosed():
			// Closed meanwhile: its transactions are over (and a
			// discard would wait on the closed database for ever).
			return badger.ErrDBClosed
		case db != p.db:
			// The store was reopened meanwhile (it is not, while it takes
			// writes): the write is built afresh below.
			return badger.ErrConflict
		}
		defer t.Discard()
		return t.Commit()
	})
	if IsConflict(err) {
		return p.s.UpdateRetrying(p.fn)
	}
	if err == nil {
		p.s.commits.Add(1)
	}
	return ExplainDiskError(p.s.dir, err)
}

// Discard drops the prepared writes; it is safe after CommitAfter and
// more than once.
func (p *Prepared) Discard() {
	if p == nil || p.t == nil {
		return
	}
	t := p.t
	p.t = nil
	_ = p.s.withDB(func(db *badger.DB) error {
		if db == p.db && !db.IsClosed() {
			t.Discard() // a closed or replaced database's reads are over
		}
		return nil
	})
}
