package store

import (
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"

	badger "github.com/dgraph-io/badger/v4"
)

// ErrNotFound is returned when a key or blob does not exist.
var ErrNotFound = errors.New("not found")

// ErrInUse means another process has the database open.
var ErrInUse = errors.New("database is in use by another process")

// Store is the Badger database of one data folder plus its blob files.
type Store struct {
	Blobs *Blobs
	dir   string
	// mu guards db, readOnly and lost: a store opened read-only is
	// reopened for writing once its disk allows (see reopenWhenRoom).
	mu sync.RWMutex
	db *badger.DB
	// readOnly is why the store was opened read-only (a read-only file
	// system, a nearly full disk), returned by every write; nil if writable.
	readOnly error
	// lost is set when a reopen left no database open at all.
	lost error
	stop chan struct{}
	done chan struct{}
	once sync.Once
	// compacting serialises Compact: the periodic one and callers'.
	compacting sync.Mutex
	log        *slog.Logger // fixed at Open
	small      bool         // WithSmallMemory
	// commits counts the transactions Update committed (Commits).
	commits atomic.Uint64
}

// Commits is how many transactions Update has committed since Open: a
// value derived from the store and kept with the count it was read at is
// current while the count is the same.
func (s *Store) Commits() uint64 { return s.commits.Load() }

// Open opens (creating if needed) the database under dir/db and the blob
// folder dir/blobs. A folder on a read-only file system or a nearly full
// disk opens read-only: reads work and writes return a *DiskError.
func Open(dir string, opts ...Option) (*Store, error) {
	s := &Store{dir: dir, stop: make(chan struct{}), done: make(chan struct{}), log: slog.Default().With("component", "store")}
	for _, o := range opts {
		o(s)
	}
	dbDir := filepath.Join(dir, "db")
	removeEmptyLogs(dbDir)
	db, readOnly, err := openDB(dir, dbDir, s.options)
	if err != nil {
		return nil, err
	}
	blobs, err := OpenBlobs(filepath.Join(dir, "blobs"))
	if err != nil {
		db.Close()
		return nil, ExplainDiskError(dir, err)
	}
	s.db, s.Blobs, s.readOnly = db, blobs, readOnly
	go s.maintain()
	return s, nil
}

// options are tuned for a desktop app: every write is synced (a crash loses
// nothing that was acknowledged), caches and memtables are small because
// the data is small, and nothing is exported as metrics. Badger's
// background compactors wake 20 times a second each, which alone costs a
// tracker ~1 % of a core while nothing happens; they are off, and the store
// compacts on its own schedule instead (see maintain). A folder whose
// tables already hold levelledFrom bytes (an employer's after months of a
// team) runs Badger's levelled compaction instead: flattening it would
// rewrite the whole folder every time level 0 gains two tables.
//
// The block cache holds decompressed table blocks: 8 MB serves a
// tracker's folder; a large folder gets 1/16 of its tables, up to 64 MB,
// so that a view reading a few records of each of a thousand logs (P11's
// Team view) finds their blocks decompressed on the next call rather
// than decompressing each again.
func (s *Store) options(path string) badger.Options {
	compactors := 0
	tables := tablesBytes(path)
	if tables >= levelledFrom {
		compactors = 2
	}
	o := badger.DefaultOptions(path).
		WithSyncWrites(true).
		WithMemTableSize(8 << 20).
		WithBlockCacheSize(min(max(tables/16, 8<<20), 64<<20)).
		WithIndexCacheSize(4 << 20).
		WithValueLogFileSize(64 << 20).
		WithNumMemtables(2).
		WithNumLevelZeroTables(2).
		WithNumLevelZeroTablesStall(8).
		WithNumCompactors(compactors).
		WithMetricsEnabled(false).
		WithLogger(badgerLogger{s.log}).
		WithDetectConflicts(true)
	if s.small {
		o = small(o)
	}
	return o
}

// small shrinks what Badger holds per open folder (WithSmallMemory): a
// 2 MiB memtable (its arena is allocated whole at open, 10 MB at the
// usual 8 MiB, which a thousand nodes of one process would hold as 10 GB
// of heap and the collector would pace itself by), transactions up to
// its 15 % (300 KiB), values from 64 KiB kept in the value log rather
// than the tree (a value must fit a transaction), and 1 MiB of block
// cache (compressed tables need one) with table indexes in memory.
func small(o badger.Options) badger.Options {
	return o.WithMemTableSize(2 << 20).
		WithValueThreshold(64 << 10).
		WithBlockCacheSize(1 << 20).
		WithIndexCacheSize(0).
		WithValueLogFileSize(16 << 20)
}

// Close flushes and closes the database. On a disk without room for the
// flush it leaves the database to the next open (see roomToClose) and says
// why.
func (s *Store) Close() error {
	s.once.Do(func() { close(s.stop); <-s.done })
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.db == nil {
		return s.lost
	}
	if err := s.roomToClose(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	if err := s.db.Close(); err != nil {
		return fmt.Errorf("close store: %w", err)
	}
	return nil
}

// Update runs fn in a read-write transaction and commits it atomically. It
// refuses, changing nothing, when the store is read-only or its disk is
// nearly full.
func (s *Store) Update(fn func(*Txn) error) error {
	if err := s.writable(0); err != nil {
		return err
	}
	err := s.withDB(func(db *badger.DB) error {
		return db.Update(func(t *badger.Txn) error { return fn(&Txn{t: t}) })
	})
	if err == nil {
		s.commits.Add(1)
	}
	return ExplainDiskError(s.dir, err)
}

// UpdateAfter is Update whose commit waits for first, which runs
// meanwhile: the transaction is built while, say, the files it refers to
// reach the disk, and commits only once first has succeeded. Either's
// error (fn's when both fail) leaves the store unchanged, and it returns
// only after first has.
func (s *Store) UpdateAfter(first func() error, fn func(*Txn) error) error {
	if err := s.writable(0); err != nil {
		return err
	}
	done := make(chan error, 1)
	go func() { done <- first() }()
	firstErr := func() error { return <-done }
	err := s.withDB(func(db *badger.DB) error {
		return db.Update(func(t *badger.Txn) error {
			err := fn(&Txn{t: t})
			if ferr := firstErr(); err == nil {
				err = ferr
			}
			firstErr = func() error { return nil }
			return err
		})
	})
	if ferr := firstErr(); err == nil { // Update failed before fn ran
		err = ferr
	}
	if err == nil {
		s.commits.Add(1)
	}
	return ExplainDiskError(s.dir, err)
}

// UpdateRetrying is Update for a write a person asked for that may race
// the node's own writes to the same records (an approval while a sync
// round stores its receipt): a lost race runs fn again on a fresh
// snapshot, up to five times, instead of reporting "Transaction
// Conflict". fn must act only through its Txn and assign its results
// afresh on each run.
func (s *Store) UpdateRetrying(fn func(*Txn) error) error {
	err := s.Update(fn)
	for try := 0; try < 4 && IsConflict(err); try++ {
		err = s.Update(fn)
	}
	return err
}

// View runs fn in a read-only snapshot.
func (s *Store) View(fn func(*Txn) error) error {
	return s.withDB(func(db *badger.DB) error {
		return db.View(func(t *badger.Txn) error { return fn(&Txn{t: t}) })
	})
}

// withDB runs fn with the database, which a reopen cannot swap meanwhile.
func (s *Store) withDB(fn func(*badger.DB) error) error {
	s.mu.RLock()
	defer s.mu.RUnlock()
	if s.db == nil {
		return s.lost
	}
	return fn(s.db)
}

func ensureDir(path string) error {
	if err := os.MkdirAll(path, 0o700); err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	return nil
}

// removeEmptyLogs deletes zero-byte memtable and value logs and reports
// whether it found any. A process killed while Badger creates either
// leaves one, which Badger then refuses to open ("Create a new file"); a
// file with no bytes holds no writes, so removing it loses nothing.
func removeEmptyLogs(dbDir string) bool {
	files, err := os.ReadDir(dbDir)
	if err != nil {
		return false
	}
	removed := false
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".mem") && !strings.HasSuffix(f.Name(), ".vlog") {
			continue
		}
		if info, err := f.Info(); err == nil && info.Size() == 0 {
			removed = os.Remove(filepath.Join(dbDir, f.Name())) == nil || removed
		}
	}
	return removed
}
