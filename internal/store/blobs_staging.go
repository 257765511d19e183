package store

import (
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"sync"
)

// Staging collects blobs that arrive one by one (a synced batch's images)
// on disk under temporary names, outside the store until Commit. Each is
// written as it arrives and its write-back starts at once, so the disk
// works while the network does, and the memory a batch needs is one image,
// not all of them. After Commit every added blob is whole on disk; a crash
// before it leaves only temporary files, which the next OpenBlobs removes.
// Add may be called from several goroutines at once (each hashes and writes
// its own image); Commit and Discard come after the last Add.
type Staging struct {
	b     *Blobs
	mu    sync.Mutex // guards files and seen
	files []stagedFile
	seen  map[Hash]bool
}

type stagedFile struct {
	hash Hash
	tmp  string
}

// NewStaging starts an empty set.
func (b *Blobs) NewStaging() *Staging { return &Staging{b: b, seen: map[Hash]bool{}} }

// Add writes data aside and returns its hash. A blob the store or this set
// already holds is not written again. (Two Adds of the same blob at once
// may both write it: Commit keeps one.)
func (s *Staging) Add(data []byte) (Hash, error) {
	h := Hash(sha256.Sum256(data))
	s.mu.Lock()
	seen := s.seen[h]
	s.mu.Unlock()
	if seen || s.b.Has(h) {
		return h, nil
	}
	tmp, err := s.write(h, data)
	s.mu.Lock()
	defer s.mu.Unlock()
	if tmp != "" {
		s.files = append(s.files, stagedFile{h, tmp})
	}
	if err != nil {
		return h, fmt.Errorf("store blob %s: %w", h, err)
	}
	s.seen[h] = true
	return h, nil
}

// write puts data in a new temporary file beside h's final place and
// returns its name (also on error, for Discard to remove).
func (s *Staging) write(h Hash, data []byte) (string, error) {
	dir := filepath.Dir(s.b.Path(h))
	if err := s.b.ensureSub(dir); err != nil {
		return "", err
	}
	tmp, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return "", err
	}
	_, err = tmp.Write(data)
	if err == nil {
		startWriteback(tmp)
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	return tmp.Name(), err
}

// Commit makes every added blob durable with one flush of the file system
// and moves it into place. It returns the blobs that are new to the store,
// so that a caller whose own commit fails afterwards can delete them again.
// On error nothing of the set remains.
func (s *Staging) Commit() ([]Hash, error) {
	if len(s.files) == 0 {
		return nil, nil
	}
	if err := flushFS(s.b.dir, len(s.files)); err != nil {
		s.Discard()
		return nil, err
	}
	var added []Hash
	for i, f := range s.files {
		if s.b.Has(f.hash) {
			// Another commit placed the same image meanwhile (or this
			// set, from a second copy Add wrote at the same time): it is
			// not this set's to remove if the caller's commit fails.
			_ = os.Remove(f.tmp)
			continue
		}
		if err := os.Rename(f.tmp, s.b.Path(f.hash)); err != nil {
			s.files = s.files[i:]
			s.Discard()
			for _, h := range added {
				_ = s.b.Delete(h)
			}
			return nil, fmt.Errorf("store blob: %w", err)
		}
		added = append(added, f.hash)
	}
	s.files = nil
	// The renames themselves must reach the disk before anyone refers to
	// the blobs by name.
	return added, flushFS(s.b.dir, len(added))
}

// Discard removes whatever Commit has not taken; it is safe to call after
// Commit and more than once.
func (s *Staging) Discard() {
	for _, f := range s.files {
		_ = os.Remove(f.tmp)
	}
	s.files = nil
}
