package store_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/workdiary/workdiary/internal/store"
)

func TestReopenKeepsRecords(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"c/2", "c/1", "d/1"} {
		if err := s.Update(func(x *store.Txn) error { return x.Set([]byte(k), []byte("v"+k)) }); err != nil {
			t.Fatal(err)
		}
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s, err = store.Open(dir)
	if err != nil {
		t.Fatalf("reopen: %v", err)
	}
	defer s.Close()
	var keys []string
	err = s.View(func(x *store.Txn) error {
		return x.Scan([]byte("c/"), nil, func(k, v []byte) (bool, error) {
			keys = append(keys, string(k)+"="+string(v))
			return true, nil
		})
	})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := len(keys), 2; got != want || keys[0] != "c/1=vc/1" || keys[1] != "c/2=vc/2" {
		t.Fatalf("scan c/ = %v, want [c/1=vc/1 c/2=vc/2]", keys)
	}
	err = s.View(func(x *store.Txn) error { _, err := x.Get([]byte("nope")); return err })
	if !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get missing: err = %v, want ErrNotFound", err)
	}
}

func TestSecondOpenIsRefused(t *testing.T) {
	dir := t.TempDir()
	s, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if _, err := store.Open(dir); !errors.Is(err, store.ErrInUse) {
		t.Fatalf("second Open: err = %v, want ErrInUse", err)
	}
}

func TestBlobsPutGetDelete(t *testing.T) {
	b, err := store.OpenBlobs(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("jpeg bytes")
	h, err := b.Put(data)
	if err != nil {
		t.Fatal(err)
	}
	got, err := b.Get(h)
	if err != nil || !bytes.Equal(got, data) {
		t.Fatalf("Get = %q, %v; want %q", got, err, data)
	}
	buf := make([]byte, 0, 64)
	if got, err := b.ReadInto(h, buf); err != nil || !bytes.Equal(got, data) || &got[0] != &buf[:1][0] {
		t.Fatalf("ReadInto = %q, %v; want %q read into the buffer", got, err, data)
	}
	if got, err := b.ReadInto(h, make([]byte, 0, 2)); err != nil || !bytes.Equal(got, data) {
		t.Fatalf("ReadInto a buffer too small = %q, %v; want %q", got, err, data)
	}
	if err := os.WriteFile(b.Path(h), []byte("tampered"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := b.Get(h); err == nil {
		t.Fatal("Get of a tampered blob succeeded")
	}
	// Read leaves the check to whoever receives the bytes (a sync's
	// employer hashes every image it is sent).
	if got, err := b.Read(h); err != nil || string(got) != "tampered" {
		t.Fatalf("Read of a tampered blob = %q, %v; want its bytes unchecked", got, err)
	}
	if err := b.Delete(h); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(b.Path(h)); !os.IsNotExist(err) {
		t.Fatalf("after Delete the file still exists: %v", err)
	}
	if _, err := b.Get(h); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Get after Delete: err = %v, want ErrNotFound", err)
	}
	if _, err := b.Read(h); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("Read after Delete: err = %v, want ErrNotFound", err)
	}
}

// A process killed while Badger created a memtable or a value log leaves
// an empty .mem or .vlog file; the store must still open, with every
// earlier write.
func TestOpenAfterKillDuringLogCreation(t *testing.T) {
	for _, name := range []string{"00042.mem", "000042.vlog"} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			s, err := store.Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			if err := s.Update(func(x *store.Txn) error { return x.Set([]byte("k"), []byte("v")) }); err != nil {
				t.Fatal(err)
			}
			if err := s.Close(); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, "db", name), nil, 0o600); err != nil {
				t.Fatal(err)
			}
			s, err = store.Open(dir)
			if err != nil {
				t.Fatalf("open with an empty %s: %v", name, err)
			}
			defer s.Close()
			var got []byte
			err = s.View(func(x *store.Txn) error { var err error; got, err = x.Get([]byte("k")); return err })
			if err != nil || string(got) != "v" {
				t.Fatalf("after recovery Get = %q, %v", got, err)
			}
			if err := s.Update(func(x *store.Txn) error { return x.Set([]byte("k2"), []byte("v2")) }); err != nil {
				t.Fatalf("write after recovery: %v", err)
			}
		})
	}
}
