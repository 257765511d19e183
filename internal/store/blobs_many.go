package store

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
)

// PutMany stores several blobs durably with one filesystem flush for all
// of them instead of one per file: a synced batch of a week's screenshots
// would otherwise spend most of its time waiting on the disk. The
// guarantee is Put's: after it returns, every blob is whole on disk, and a
// crash before that leaves none of the new files in place.
func (b *Blobs) PutMany(datas [][]byte) ([]Hash, error) {
	type pending struct{ tmp, final string }
	var todo []pending
	cleanup := func() {
		for _, p := range todo {
			os.Remove(p.tmp)
		}
	}
	hashes := make([]Hash, len(datas))
	for i, data := range datas {
		h := Hash(sha256.Sum256(data))
		hashes[i] = h
		final := b.Path(h)
		if _, err := os.Stat(final); err == nil {
			continue
		}
		if err := b.ensureSub(filepath.Dir(final)); err != nil {
			cleanup()
			return nil, err
		}
		tmp, err := os.CreateTemp(filepath.Dir(final), ".tmp-*")
		if err != nil {
			cleanup()
			return nil, fmt.Errorf("store blob %s: %w", h, err)
		}
		_, werr := tmp.Write(data)
		cerr := tmp.Close()
		todo = append(todo, pending{tmp.Name(), final})
		if werr != nil || cerr != nil {
			cleanup()
			return nil, fmt.Errorf("store blob %s: %v %v", h, werr, cerr)
		}
	}
	if len(todo) == 0 {
		return hashes, nil
	}
	if err := flushFS(b.dir, len(todo)); err != nil {
		cleanup()
		return nil, err
	}
	for _, p := range todo {
		if err := os.Rename(p.tmp, p.final); err != nil {
			cleanup()
			return nil, fmt.Errorf("store blob: %w", err)
		}
	}
	return hashes, flushFS(b.dir, len(todo))
}
