package store

import (
	"os"
	"path/filepath"
	"strings"

	badger "github.com/dgraph-io/badger/v4"
)

// MinFreeSpace is the room the data folder's disk must keep for the store
// to write. Badger writes its log and its tables through memory-mapped
// files, and on a disk that fills up under such a write the kernel kills
// the process (SIGBUS) instead of returning an error, possibly halfway
// through a write. Refusing writes below this much free space leaves room
// for the largest write plus writing out a full memtable (8 MiB), so a full
// disk becomes a clear error instead.
const MinFreeSpace = 16 << 20

// What the store asks of the file system under a folder; tests replace
// them to play a full or read-only disk.
var (
	freeSpaceOf  = freeSpace
	readOnlyFSOf = readOnlyFS
)

// writable returns nil when a write of about extra bytes (besides what
// Badger itself needs) may go ahead, and otherwise why not.
func (s *Store) writable(extra int64) error {
	if err := s.reopenWhenRoom(); err != nil {
		return err
	}
	if free, ok := freeSpaceOf(s.dir); ok && free-extra < MinFreeSpace {
		return &DiskError{Dir: s.dir, Kind: ErrDiskFull, Free: free, Need: extra}
	}
	return nil
}

// Writable reports whether the store can take writes now, and if not why
// not (a *DiskError), so that a long task such as tracking can refuse to
// start rather than fail at its first write.
func (s *Store) Writable() error { return s.writable(0) }

// roomToClose reports whether Badger can write out its memtable on close.
// When it cannot, closing is skipped: every acknowledged write is already
// in Badger's synced write-ahead log, which the next open replays, exactly
// as after a crash, whereas writing the table onto a full disk would kill
// the process.
func (s *Store) roomToClose() error { // with mu held
	if s.readOnly != nil {
		return nil // a read-only database writes nothing on close
	}
	free, ok := freeSpaceOf(s.dir)
	if !ok {
		return nil
	}
	// A memtable's table is no larger than its log; twice that, plus a
	// margin for the manifest and the value log's header, is ample.
	if need := 2*memtableLogBytes(filepath.Join(s.dir, "db")) + 1<<20; free < need {
		return &DiskError{Dir: s.dir, Kind: ErrDiskFull, Free: free}
	}
	return nil
}

// memtableLogBytes is the disk space Badger's memtable logs really use.
// They are sparse files of a fixed size, written as the memtable fills.
func memtableLogBytes(dbDir string) int64 {
	files, err := os.ReadDir(dbDir)
	if err != nil {
		return 0
	}
	var n int64
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".mem") {
			continue
		}
		if info, err := f.Info(); err == nil {
			n += allocated(info)
		}
	}
	return n
}

// levelsSize is the size of the tables a compaction may rewrite.
func levelsSize(levels []badger.LevelInfo) int64 {
	var n int64
	for _, l := range levels {
		n += l.Size
	}
	return n
}

// GuardedBlobs is the blob folder as a writer that fills the disk over
// time (the tracker) should use it: a write that would leave less than
// MinFreeSpace free is refused like Update refuses one, so that images
// never take the room Badger needs, and a full or read-only disk comes
// back explained.
type GuardedBlobs struct{ s *Store }

// GuardedBlobs returns the store's blob folder with the free-space guard.
func (s *Store) GuardedBlobs() GuardedBlobs { return GuardedBlobs{s} }

// Put stores data like Blobs.Put once the disk has room for it.
func (g GuardedBlobs) Put(data []byte) (Hash, error) {
	if err := g.s.writable(int64(len(data))); err != nil {
		return Hash{}, err
	}
	h, err := g.s.Blobs.Put(data)
	return h, ExplainDiskError(g.s.dir, err)
}

// recordRoom is kept, besides the images, for the record that will refer
// to them.
const recordRoom = 64 << 10

// Room reports whether images of the given sizes, and the record that
// will refer to them, fit above MinFreeSpace, so that a writer can check
// a set of images as a whole before storing any of them.
func (g GuardedBlobs) Room(sizes ...int) error {
	need := int64(recordRoom)
	for _, n := range sizes {
		need += (int64(n) + 4095) &^ 4095 // files take whole pages
	}
	return g.s.writable(need)
}

// Delete removes a blob like Blobs.Delete.
func (g GuardedBlobs) Delete(h Hash) error {
	return ExplainDiskError(g.s.dir, g.s.Blobs.Delete(h))
}
