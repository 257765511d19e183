package store_test

import (
	"bytes"
	"fmt"
	"testing"

	"github.com/workdiary/workdiary/internal/store"
)

// With Badger's background compactors off, the store's own compaction
// keeps level 0 small, and every record stays readable across it and a
// reopen.
func TestCompactKeepsLevelZeroSmall(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	writeValues(t, s, 0, compactRecords)
	if err := s.Close(); err != nil { // flushes the memtables into level 0
		t.Fatal(err)
	}
	if s, err = store.Open(dir); err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	before := s.LevelZeroTables()
	ran, err := s.Compact()
	if err != nil {
		t.Fatal(err)
	}
	// The store's own compaction at open may be the one that ran.
	if before >= 2 && s.LevelZeroTables() >= 2 {
		t.Fatalf("level 0 had %d tables; after Compact (ran %v) it has %d", before, ran, s.LevelZeroTables())
	}
	if count, err := countValues(s); err != nil || count != compactRecords {
		t.Fatalf("after compaction %d of %d records readable (%v)", count, compactRecords, err)
	}
	t.Logf("level 0: %d tables before, %d after", before, s.LevelZeroTables())
}

// compactRecords of compactValue are ~38 MiB: several memtable flushes.
const compactRecords = 600

var compactValue = bytes.Repeat([]byte("w"), 64<<10)

// writeValues writes records from..from+n of compactValue, ten a
// transaction.
func writeValues(t *testing.T, s *store.Store, from, n int) {
	t.Helper()
	for i := from; i < from+n; i += 10 {
		err := s.Update(func(x *store.Txn) error {
			for j := i; j < i+10; j++ {
				if err := x.Set([]byte(fmt.Sprintf("k/%05d", j)), compactValue); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("write %d: %v (writes must never stall)", i, err)
		}
	}
}

// countValues counts the records writeValues wrote, checking each.
func countValues(s *store.Store) (int, error) {
	count := 0
	err := s.View(func(x *store.Txn) error {
		return x.Scan([]byte("k/"), nil, func(_, v []byte) (bool, error) {
			if !bytes.Equal(v, compactValue) {
				return false, fmt.Errorf("a value changed")
			}
			count++
			return true, nil
		})
	})
	return count, err
}

// A folder opened and closed over and over without time for the periodic
// compaction (each close flushes a memtable into level 0, as each crash's
// replayed memtable does) never reaches the eight tables at which Badger
// stalls writes and its close would hang.
func TestReopeningKeepsLevelZeroSmall(t *testing.T) {
	dir := t.TempDir()
	for i := 0; i < 12; i++ {
		s, err := store.Open(dir)
		if err != nil {
			t.Fatalf("open %d: %v", i, err)
		}
		if err := s.Update(func(x *store.Txn) error { return x.Set([]byte(fmt.Sprintf("k%02d", i)), []byte("v")) }); err != nil {
			t.Fatal(err)
		}
		// Four at most: at four the store compacts as it opens.
		if n := s.LevelZeroTables(); n > 4 {
			t.Fatalf("open %d: %d level-0 tables", i, n)
		}
		if err := s.Close(); err != nil {
			t.Fatalf("close %d: %v", i, err)
		}
	}
}
