package store

import (
	"fmt"
	"path/filepath"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// reopenWait is how long a write that finds the disk usable again waits
// for reads in progress before the store reopens for writing.
const reopenWait = time.Second

// reopenWhenRoom returns nil when the store takes writes, and otherwise
// why not. A store opened read-only because its disk was nearly full or
// mounted read-only is reopened for writing by the first write that finds
// this has changed: freeing space is enough, the app or `serve` need not
// be restarted.
func (s *Store) reopenWhenRoom() error {
	s.mu.RLock()
	why, lost := s.readOnly, s.lost
	s.mu.RUnlock()
	if lost != nil {
		return lost
	}
	if why == nil || !diskAllowsWriting(s.dir) {
		return why
	}
	// The swap waits for reads in progress, but never for a read held by
	// the caller itself (a write made inside a View): then this write is
	// refused as before, and a later one reopens.
	deadline := time.Now().Add(reopenWait)
	for !s.mu.TryLock() {
		if time.Now().After(deadline) {
			return why
		}
		time.Sleep(5 * time.Millisecond)
	}
	defer s.mu.Unlock()
	if s.readOnly == nil || s.lost != nil {
		return s.lost
	}
	return s.reopenForWriting()
}

// diskAllowsWriting is openDB's test for opening dir for writing.
func diskAllowsWriting(dir string) bool {
	if readOnlyFSOf(dir) {
		return false
	}
	free, ok := freeSpaceOf(dir)
	return !ok || free >= MinFreeSpace
}

// reopenForWriting swaps the read-only database for a writable one (with
// mu held). Badger holds the folder's lock per open, so the read-only
// one closes first; if the writable open fails, the folder is opened
// read-only again and the write is refused with what went wrong.
func (s *Store) reopenForWriting() error {
	dbDir := filepath.Join(s.dir, "db")
	if err := s.db.Close(); err != nil {
		s.log.Warn("close the read-only store to reopen it for writing", "dir", s.dir, "err", err)
	}
	db, err := badger.Open(s.options(dbDir))
	if err == nil {
		s.db, s.readOnly = db, nil
		s.log.Info("the store can be written again; writes resume", "dir", s.dir)
		return nil
	}
	ro, rerr := badger.Open(s.options(dbDir).WithReadOnly(true).WithLogger(nil))
	if rerr != nil {
		s.db = nil
		s.lost = fmt.Errorf("reopen store in %s: %v; restart Workdiary", s.dir, rerr)
		return s.lost
	}
	s.db = ro
	return fmt.Errorf("reopen store in %s for writing: %w", s.dir, ExplainDiskError(s.dir, err))
}
