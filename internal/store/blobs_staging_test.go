package store_test

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"path/filepath"
	"sync"
	"testing"

	"github.com/workdiary/workdiary/internal/store"
)

func tempFiles(t *testing.T, dir string) []string {
	t.Helper()
	left, err := filepath.Glob(filepath.Join(dir, "*", ".tmp-*"))
	if err != nil {
		t.Fatal(err)
	}
	return left
}

func TestStagingCommit(t *testing.T) {
	dir := t.TempDir()
	b, err := store.OpenBlobs(dir)
	if err != nil {
		t.Fatal(err)
	}
	old, _ := b.Put([]byte("already there"))
	st := b.NewStaging()
	datas := [][]byte{[]byte("one"), []byte("already there"), []byte("two"), []byte("one")}
	var hs []store.Hash
	for _, d := range datas {
		h, err := st.Add(d)
		if err != nil {
			t.Fatal(err)
		}
		hs = append(hs, h)
	}
	if hs[1] != old || hs[0] != hs[3] {
		t.Fatalf("hashes %v", hs)
	}
	if b.Has(hs[0]) {
		t.Fatal("a staged blob is in the store before Commit")
	}
	added, err := st.Commit()
	if err != nil {
		t.Fatal(err)
	}
	if len(added) != 2 || added[0] != hs[0] || added[1] != hs[2] {
		t.Fatalf("Commit added %v, want the two new blobs", added)
	}
	for i, h := range hs {
		got, err := b.Get(h)
		if err != nil || !bytes.Equal(got, datas[i]) {
			t.Fatalf("Get(%d) = %q, %v", i, got, err)
		}
	}
	st.Discard() // harmless after Commit
	if left := tempFiles(t, dir); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

// A fetch stages images from several goroutines: the same blob added by
// two at once may be written twice, and Commit still adds it once and
// leaves no temporary file.
func TestStagingConcurrentAdds(t *testing.T) {
	dir := t.TempDir()
	b, _ := store.OpenBlobs(dir)
	st := b.NewStaging()
	const blobs, copies = 20, 3
	var wg sync.WaitGroup
	for c := range copies {
		for i := range blobs {
			wg.Go(func() {
				if _, err := st.Add(fmt.Appendf(nil, "blob %d", (i+c)%blobs)); err != nil {
					t.Error(err)
				}
			})
		}
	}
	wg.Wait()
	added, err := st.Commit()
	if err != nil {
		t.Fatal(err)
	}
	distinct := map[store.Hash]bool{}
	for _, h := range added {
		distinct[h] = true
	}
	if len(added) != blobs || len(distinct) != blobs {
		t.Fatalf("Commit added %d blobs, want %d distinct", len(added), blobs)
	}
	for i := range blobs {
		if got, err := b.Get(store.Hash(sha256.Sum256(fmt.Appendf(nil, "blob %d", i)))); err != nil || string(got) != fmt.Sprintf("blob %d", i) {
			t.Fatalf("blob %d: %q, %v", i, got, err)
		}
	}
	if left := tempFiles(t, dir); len(left) != 0 {
		t.Fatalf("temporary files left: %v", left)
	}
}

func TestStagingDiscard(t *testing.T) {
	dir := t.TempDir()
	b, _ := store.OpenBlobs(dir)
	st := b.NewStaging()
	h, err := st.Add([]byte("never committed"))
	if err != nil {
		t.Fatal(err)
	}
	st.Discard()
	if b.Has(h) || len(tempFiles(t, dir)) != 0 {
		t.Fatalf("after Discard: in store %v, temporary files %v", b.Has(h), tempFiles(t, dir))
	}
}

// A process killed between Add and Commit leaves temporary files; the next
// open removes them and keeps every whole blob.
func TestOpenBlobsRemovesLeftovers(t *testing.T) {
	dir := t.TempDir()
	b, _ := store.OpenBlobs(dir)
	whole, _ := b.Put([]byte("whole"))
	if _, err := b.NewStaging().Add([]byte("half written")); err != nil {
		t.Fatal(err)
	}
	if len(tempFiles(t, dir)) != 1 {
		t.Fatal("the staged blob left no temporary file to clean up")
	}
	b, err := store.OpenBlobs(dir)
	if err != nil {
		t.Fatal(err)
	}
	if left := tempFiles(t, dir); len(left) != 0 {
		t.Fatalf("temporary files after reopening: %v", left)
	}
	if _, err := b.Get(whole); err != nil {
		t.Fatalf("a whole blob is gone after reopening: %v", err)
	}
}
