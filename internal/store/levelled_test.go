package store_test

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/store"
)

// A folder whose tables are past the levelled size is not flattened
// (that would rewrite all of it): Badger's own compaction keeps its
// level 0 small, and every record stays readable.
func TestLargeStoreLeftToLevelledCompaction(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	writeValues(t, s, 0, compactRecords)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	defer store.SetLevelledFrom(1 << 20)()
	if s, err = store.Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if ran, err := s.Compact(); ran || err != nil {
		t.Fatalf("Compact of a large store: ran %v, %v; want it left to Badger", ran, err)
	}
	writeValues(t, s, compactRecords, compactRecords)
	deadline := time.Now().Add(30 * time.Second)
	for s.LevelZeroTables() >= 4 && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
	}
	if l0 := s.LevelZeroTables(); l0 >= 4 {
		t.Fatalf("level 0 holds %d tables after 30 s; Badger's compaction does not run", l0)
	}
	if count, err := countValues(s); err != nil || count != 2*compactRecords {
		t.Fatalf("read back %d records (%v), want %d", count, err, 2*compactRecords)
	}
}
