package store

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// playDisk makes the store see free bytes free (and a read-only file
// system when readOnly) until the test ends.
func playDisk(t *testing.T, free int64, readOnly bool) {
	t.Helper()
	oldFree, oldRO := freeSpaceOf, readOnlyFSOf
	freeSpaceOf = func(string) (int64, bool) { return free, true }
	readOnlyFSOf = func(string) bool { return readOnly }
	t.Cleanup(func() { freeSpaceOf, readOnlyFSOf = oldFree, oldRO })
}

// closedStore is the folder of a store that holds k = v and was closed.
func closedStore(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	if err := put(s, "k", "v"); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

// openOn opens dir on a disk with free bytes free (read-only when
// readOnly); the test closes the store when it has not done so itself.
func openOn(t *testing.T, dir string, free int64, readOnly bool) *Store {
	t.Helper()
	playDisk(t, free, readOnly)
	s, err := Open(dir)
	if err != nil {
		t.Fatalf("open (%d bytes free, read-only %v): %v", free, readOnly, err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func put(s *Store, k, v string) error {
	return s.Update(func(x *Txn) error { return x.Set([]byte(k), []byte(v)) })
}

func get(t *testing.T, s *Store, k string) string {
	t.Helper()
	var v []byte
	err := s.View(func(x *Txn) error { var err error; v, err = x.Get([]byte(k)); return err })
	if err != nil {
		t.Fatalf("read %s: %v", k, err)
	}
	return string(v)
}

// Writes stop once less than MinFreeSpace would be left; images count
// their own size; reads go on.
func TestWritesStopBelowTheReserve(t *testing.T) {
	s, err := Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if err := put(s, "k", "before"); err != nil {
		t.Fatal(err)
	}

	playDisk(t, MinFreeSpace+100, false)
	if err := put(s, "k", "small write"); err != nil {
		t.Fatalf("a small write with the reserve intact: %v", err)
	}
	_, err = s.GuardedBlobs().Put(make([]byte, 200))
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("an image larger than the room above the reserve: err = %v, want ErrDiskFull", err)
	}

	playDisk(t, MinFreeSpace+200<<10, false)
	if err := s.GuardedBlobs().Room(100 << 10); err != nil {
		t.Fatalf("room for one 100 KiB image with 200 KiB above the reserve: %v", err)
	}
	if err := s.GuardedBlobs().Room(100<<10, 100<<10); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("room for two 100 KiB images (and their record) with 200 KiB above the reserve: err = %v, want ErrDiskFull", err)
	}

	playDisk(t, MinFreeSpace-1, false)
	err = put(s, "k", "refused")
	if !errors.Is(err, ErrDiskFull) || !strings.Contains(err.Error(), s.dir) {
		t.Fatalf("write below the reserve: err = %v, want ErrDiskFull naming %s", err, s.dir)
	}
	if err := s.Writable(); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("Writable below the reserve = %v", err)
	}
	if got := get(t, s, "k"); got != "small write" {
		t.Fatalf("after a refused write k = %q, want the last accepted value", got)
	}
	if _, err := s.Compact(); err != nil && !errors.Is(err, ErrDiskFull) {
		t.Fatalf("Compact on a full disk: %v", err)
	}
}

// On a nearly full disk the store opens read-only: every record reads,
// every write says the disk is full. With space back it writes again.
func TestNearlyFullDiskOpensReadOnly(t *testing.T) {
	dir := closedStore(t)
	s := openOn(t, dir, 1<<20, false)
	if got := get(t, s, "k"); got != "v" {
		t.Fatalf("read-only k = %q", got)
	}
	if err := put(s, "k", "w"); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("write to a store opened on a nearly full disk: %v", err)
	}
	if _, err := s.GuardedBlobs().Put([]byte("jpeg")); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("image on a nearly full disk: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}

	s = openOn(t, dir, 1<<30, false)
	if err := put(s, "k", "w"); err != nil {
		t.Fatalf("write with space back: %v", err)
	}
}

// A store opened read-only on a nearly full disk, or a read-only file
// system, takes writes again as soon as the disk allows: the first write
// after space is freed (or the folder remounted read-write) reopens it,
// and what it writes is there after a restart.
func TestReadOnlyStoreWritesOnceTheDiskAllows(t *testing.T) {
	for _, c := range []struct {
		name     string
		free     int64
		readOnly bool
		want     error
	}{
		{"nearly full disk", 1 << 20, false, ErrDiskFull},
		{"read-only file system", 1 << 30, true, ErrReadOnly},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := closedStore(t)
			s := openOn(t, dir, c.free, c.readOnly)
			if err := put(s, "k", "refused"); !errors.Is(err, c.want) {
				t.Fatalf("write before the disk allows: %v, want %v", err, c.want)
			}
			playDisk(t, 1<<30, false)
			if err := s.Writable(); err != nil {
				t.Fatalf("Writable once the disk allows: %v", err)
			}
			if err := put(s, "k", "after"); err != nil {
				t.Fatalf("write once the disk allows: %v", err)
			}
			if got := get(t, s, "k"); got != "after" {
				t.Fatalf("k = %q, want the new value", got)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if got := get(t, openOn(t, dir, 1<<30, false), "k"); got != "after" {
				t.Fatalf("after a restart k = %q, want the value written after the reopen", got)
			}
		})
	}
}

// A write made inside a read does not wait for itself: it is refused as
// before, and the next write outside reopens the store.
func TestReopenDoesNotWaitForTheCallersOwnRead(t *testing.T) {
	s := openOn(t, closedStore(t), 1<<20, false)
	playDisk(t, 1<<30, false)
	err := s.View(func(*Txn) error { return put(s, "k", "inside") })
	if !errors.Is(err, ErrDiskFull) {
		t.Fatalf("write inside a read: %v, want the read-only reason", err)
	}
	if err := put(s, "k", "outside"); err != nil {
		t.Fatalf("write after the read: %v", err)
	}
}

// On a read-only file system the store opens read-only and every write
// names the folder and the cause.
func TestReadOnlyFileSystemOpensReadOnly(t *testing.T) {
	dir := closedStore(t)
	s := openOn(t, dir, 1<<30, true)
	if got := get(t, s, "k"); got != "v" {
		t.Fatalf("read-only k = %q", got)
	}
	err := put(s, "k", "w")
	if !errors.Is(err, ErrReadOnly) || !strings.Contains(err.Error(), dir) {
		t.Fatalf("write on a read-only file system: err = %v, want ErrReadOnly naming %s", err, dir)
	}

	// A folder that never held a store cannot get one.
	if _, err := Open(t.TempDir()); !errors.Is(err, ErrReadOnly) {
		t.Fatalf("create a store on a read-only file system: err = %v, want ErrReadOnly", err)
	}
}

// Without room for Badger to write out its memtable, Close leaves the
// synced write-ahead log instead of dying on a full disk; what it left
// opens with every acknowledged write once there is room, and until then
// says why it cannot open.
func TestCloseWithoutRoomLeavesTheLog(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"a", "b", "c"} {
		if err := put(s, k, "v"+k); err != nil {
			t.Fatal(err)
		}
	}
	// What the folder holds now is what a process leaves when Close skips
	// Badger's own close (it then exits, dropping Badger's lock).
	left := t.TempDir()
	copyDir(t, filepath.Join(dir, "db"), filepath.Join(left, "db"))

	playDisk(t, 0, false)
	if err := s.Close(); !errors.Is(err, ErrDiskFull) {
		t.Fatalf("Close on a full disk: err = %v, want ErrDiskFull", err)
	}
	_, err = Open(left)
	if !errors.Is(err, ErrDiskFull) || !strings.Contains(err.Error(), "did not finish") {
		t.Fatalf("open an unfinished store on a full disk: err = %v, want ErrDiskFull saying the last session did not finish", err)
	}

	playDisk(t, 1<<30, false)
	s, err = Open(left)
	if err != nil {
		t.Fatalf("open with room again: %v", err)
	}
	defer s.Close()
	for _, k := range []string{"a", "b", "c"} {
		if got := get(t, s, k); got != "v"+k {
			t.Fatalf("%s = %q after the skipped close, want %q", k, got, "v"+k)
		}
	}
}

func copyDir(t *testing.T, from, to string) {
	t.Helper()
	if err := os.MkdirAll(to, 0o700); err != nil {
		t.Fatal(err)
	}
	files, err := os.ReadDir(from)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range files {
		if f.Name() == "LOCK" {
			continue // the pid file of a lock the copy does not hold
		}
		in, err := os.Open(filepath.Join(from, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		out, err := os.Create(filepath.Join(to, f.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := io.Copy(out, in); err != nil {
			t.Fatal(err)
		}
		in.Close()
		if err := out.Close(); err != nil {
			t.Fatal(err)
		}
	}
}
