package store

import (
	"fmt"
	"os"
	"strings"
	"time"

	badger "github.com/dgraph-io/badger/v4"
)

// compactEvery is how often the store checks whether it needs compacting.
// A desktop installation writes a few kilobytes a minute and level 0 gains
// a table per 8 MiB memtable (writes stall at 8): a cheap check every half
// minute keeps far ahead of that.
const compactEvery = 30 * time.Second

// maxLevelZero is how many level-0 tables trigger a compaction, well
// below the count at which Badger stalls writes.
const maxLevelZero = 2

// openCompactAt is how many level-0 tables make the store compact as
// soon as it opens rather than at its first tick. Every close leaves a
// table in level 0 (its memtable), and every process killed before its
// first compaction one more (its replayed memtable): a folder opened
// over and over, or crashing in a loop, must not wait for the tick while
// writes stall at eight. Below it the first compaction waits for the
// tick, so that a folder's opening and the queries that follow it (the
// window's first screen, a command) do not share two cores with a
// flatten: on a folder of 140 MB one costs about a second of CPU and
// 300 MB of memory, and ran at every second opening (P11).
const openCompactAt = 4

func (s *Store) maintain() {
	defer close(s.done)
	if s.LevelZeroTables() >= openCompactAt {
		_, _ = s.Compact()
	}
	t := time.NewTicker(compactEvery)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			_, _ = s.Compact()
		}
	}
}

// levelledFrom is the size of a folder's tables from which Badger's own
// levelled compaction runs instead of Compact's flattening (options): a
// flatten rewrites every table, which costs nothing on a tracker's folder
// and seconds of CPU and GBs of mapped memory on an employer's after a
// year of a large team (P11). A variable for tests.
var levelledFrom int64 = 256 << 20

// tablesBytes is the size of the tables (*.sst) of the database in dbDir.
func tablesBytes(dbDir string) int64 {
	ents, _ := os.ReadDir(dbDir)
	var n int64
	for _, e := range ents {
		if strings.HasSuffix(e.Name(), ".sst") {
			if info, err := e.Info(); err == nil {
				n += info.Size()
			}
		}
	}
	return n
}

// Compact merges the LSM tree into one level when level 0 has grown, so
// reads stay fast and writes never stall. It reports whether it ran. A
// store under Badger's levelled compaction (see levelledFrom) leaves it
// to Badger.
func (s *Store) Compact() (bool, error) {
	// Badger refuses two flattens at once ("Unable to fill tables").
	s.compacting.Lock()
	defer s.compacting.Unlock()
	var levels []badger.LevelInfo
	levelled := false
	_ = s.withDB(func(db *badger.DB) error {
		levels, levelled = db.Levels(), db.Opts().NumCompactors > 0
		return nil
	})
	if levelled || len(levels) == 0 || levels[0].NumTables < maxLevelZero {
		return false, nil
	}
	// Compaction writes the merged tables before it drops the old ones.
	if err := s.writable(levelsSize(levels)); err != nil {
		return false, fmt.Errorf("compact store: %w", err)
	}
	if err := s.withDB(func(db *badger.DB) error { return db.Flatten(1) }); err != nil {
		return true, fmt.Errorf("compact store: %w", err)
	}
	return true, nil
}

// LevelZeroTables reports how many tables level 0 holds (for tests).
func (s *Store) LevelZeroTables() int {
	n := 0
	_ = s.withDB(func(db *badger.DB) error {
		if l := db.Levels(); len(l) > 0 {
			n = l[0].NumTables
		}
		return nil
	})
	return n
}
