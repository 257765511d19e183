package store

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
)

// openDB opens the Badger database of the data folder dir for writing when
// it can. On a read-only file system, or a disk with less than MinFreeSpace
// free, it opens it read-only instead and also returns why, so that reads
// work and every write reports what is wrong (see Store.writable).
func openDB(dir, dbDir string, options func(string) badger.Options) (db *badger.DB, readOnly error, err error) {
	if readOnlyFSOf(dir) {
		return openReadOnly(dir, dbDir, options, &DiskError{Dir: dir, Kind: ErrReadOnly, Free: -1})
	}
	if free, ok := freeSpaceOf(dir); ok && free < MinFreeSpace {
		return openReadOnly(dir, dbDir, options, &DiskError{Dir: dir, Kind: ErrDiskFull, Free: free})
	}
	db, err = badger.Open(options(dbDir))
	if err != nil && diskProblem(err) == ErrReadOnly {
		return openReadOnly(dir, dbDir, options, &DiskError{Dir: dir, Kind: ErrReadOnly, Free: -1})
	}
	if err != nil {
		return nil, nil, openError(dir, err)
	}
	return db, nil, nil
}

// openReadOnly opens the database for reading only; why is the reason,
// which every write will return.
func openReadOnly(dir, dbDir string, options func(string) badger.Options, why error) (*badger.DB, error, error) {
	if _, err := os.Stat(filepath.Join(dbDir, "MANIFEST")); err != nil {
		return nil, nil, fmt.Errorf("create the store in %s: %w", dir, why)
	}
	if memtableLogBytes(dbDir) > 0 {
		// A session that was cut off (a crash, or a close that had no room
		// to finish) left its write-ahead log, which must be replayed into
		// a table before the database can be read, and that writes. Badger
		// would refuse anyway, and on some file systems even reading the
		// log's unwritten tail takes space.
		return nil, nil, fmt.Errorf("open store in %s: its last session did not finish, and reopening it needs to write: %w", dir, why)
	}
	// Badger's own complaints about a folder it cannot write would only
	// repeat what why says.
	db, err := badger.Open(options(dbDir).WithReadOnly(true).WithLogger(nil))
	if err != nil {
		if inUse(err) {
			return nil, nil, fmt.Errorf("open store in %s: %w", dir, ErrInUse)
		}
		return nil, nil, fmt.Errorf("open store in %s read-only: %v (%w)", dir, err, why)
	}
	return db, why, nil
}

func openError(dir string, err error) error {
	if inUse(err) {
		return fmt.Errorf("open store in %s: %w", dir, ErrInUse)
	}
	return fmt.Errorf("open store in %s: %w", dir, ExplainDiskError(dir, err))
}

func inUse(err error) bool {
	return strings.Contains(err.Error(), "Cannot acquire directory lock")
}
