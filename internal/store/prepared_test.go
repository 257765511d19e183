package store_test

import (
	"errors"
	"strconv"
	"testing"

	"github.com/workdiary/workdiary/internal/store"
)

// A prepared write shows only once committed, and not at all when the
// first half of its commit fails or it is discarded.
func TestPrepared(t *testing.T) {
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	set := func(k string) func(*store.Txn) error {
		return func(x *store.Txn) error { return x.Set([]byte(k), []byte("v")) }
	}
	has := func(k string) bool {
		return s.View(func(x *store.Txn) error { _, err := x.Get([]byte(k)); return err }) == nil
	}

	p, err := s.Prepare(set("committed"))
	if err != nil {
		t.Fatal(err)
	}
	if has("committed") {
		t.Fatal("a prepared write shows before its commit")
	}
	if err := p.CommitAfter(func() error { return nil }); err != nil || !has("committed") {
		t.Fatalf("CommitAfter = %v, written %v; want it written", err, has("committed"))
	}
	if err := p.CommitAfter(func() error { return nil }); err == nil {
		t.Fatal("a prepared write committed twice")
	}

	errFirst := errors.New("images not stored")
	p, err = s.Prepare(set("first failed"))
	if err != nil {
		t.Fatal(err)
	}
	if err := p.CommitAfter(func() error { return errFirst }); !errors.Is(err, errFirst) || has("first failed") {
		t.Fatalf("CommitAfter = %v, written %v; want %v and nothing written", err, has("first failed"), errFirst)
	}

	p, err = s.Prepare(set("discarded"))
	if err != nil {
		t.Fatal(err)
	}
	p.Discard()
	p.Discard()
	if err := p.CommitAfter(func() error { return nil }); err == nil || has("discarded") {
		t.Fatalf("CommitAfter after Discard = %v, written %v; want an error and nothing written", err, has("discarded"))
	}

	errFn := errors.New("head moved")
	if _, err := s.Prepare(func(*store.Txn) error { return errFn }); !errors.Is(err, errFn) {
		t.Fatalf("Prepare = %v, want %v", err, errFn)
	}
}

// A prepared write whose reads another commit changed before it commits
// is built again on a fresh snapshot: it never overwrites that commit.
func TestPreparedRebuiltAfterALostRace(t *testing.T) {
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	key := []byte("count")
	get := func(x *store.Txn) (int, error) {
		b, err := x.Get(key)
		if errors.Is(err, store.ErrNotFound) {
			return 0, nil
		}
		if err != nil {
			return 0, err
		}
		return strconv.Atoi(string(b))
	}
	runs := 0
	increment := func(x *store.Txn) error {
		runs++
		n, err := get(x)
		if err != nil {
			return err
		}
		return x.Set(key, []byte(strconv.Itoa(n+1)))
	}
	p, err := s.Prepare(increment)
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Update(func(x *store.Txn) error { return x.Set(key, []byte("10")) }); err != nil {
		t.Fatal(err)
	}
	if err := p.CommitAfter(func() error { return nil }); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := s.View(func(x *store.Txn) error { n, err = get(x); return err }); err != nil {
		t.Fatal(err)
	}
	if n != 11 || runs != 2 {
		t.Fatalf("count %d after %d runs, want 11 after 2 (the prepared write rebuilt on the other commit)", n, runs)
	}
}

// A prepared write outlived by its store neither commits nor hangs.
func TestPreparedAfterClose(t *testing.T) {
	s, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	committed, err := s.Prepare(func(x *store.Txn) error { return x.Set([]byte("k"), []byte("v")) })
	if err != nil {
		t.Fatal(err)
	}
	dropped, err := s.Prepare(func(x *store.Txn) error { return x.Set([]byte("k"), []byte("w")) })
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := committed.CommitAfter(func() error { return nil }); err == nil {
		t.Fatal("a prepared write committed to a closed store")
	}
	dropped.Discard()
}
