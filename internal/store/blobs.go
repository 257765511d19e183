package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"sync"
)

// Hash names a blob: the SHA-256 of its bytes.
type Hash [32]byte

// String is the lowercase hex form used for file names and in JSON.
func (h Hash) String() string { return hex.EncodeToString(h[:]) }

// ParseHash reads the hex form of a Hash.
func ParseHash(s string) (Hash, error) {
	var h Hash
	b, err := hex.DecodeString(s)
	if err != nil || len(b) != len(h) {
		return h, fmt.Errorf("parse hash %q: want 64 hex digits", s)
	}
	copy(h[:], b)
	return h, nil
}

// Blobs keeps images as files named by their hash, so that the same image is
// stored once, an entry can commit to it by hash, and deleting one really
// removes it from the disk.
type Blobs struct {
	dir  string
	made sync.Map // fan-out folders known to exist: no mkdir per blob
}

// ensureSub makes a fan-out folder once per process.
func (b *Blobs) ensureSub(dir string) error {
	if _, ok := b.made.Load(dir); ok {
		return nil
	}
	if err := ensureDir(dir); err != nil {
		return err
	}
	b.made.Store(dir, true)
	return nil
}

// tmpPrefix names blobs still being written; a whole blob never has it.
const tmpPrefix = ".tmp-"

// OpenBlobs opens (creating) a blob folder. It makes the 256 fan-out
// folders up front, so that storing a week of images does not also create
// them, and removes the temporary files a killed process left behind
// (only the folder's one owner writes here, and it is only now opening it).
func OpenBlobs(dir string) (*Blobs, error) {
	if err := ensureDir(dir); err != nil {
		return nil, err
	}
	b := &Blobs{dir: dir}
	b.prepare()
	return b, nil
}

// prepare creates missing fan-out folders and deletes leftovers. Errors are
// ignored: on a read-only or full disk the folder still opens for reading,
// and a write reports the problem itself; a leftover costs space, never
// correctness.
func (b *Blobs) prepare() {
	created := false
	for i := 0; i < 256; i++ {
		sub := filepath.Join(b.dir, fmt.Sprintf("%02x", i))
		files, err := os.ReadDir(sub)
		if errors.Is(err, fs.ErrNotExist) {
			if os.Mkdir(sub, 0o700) != nil {
				continue
			}
			created = true
		}
		for _, f := range files {
			if strings.HasPrefix(f.Name(), tmpPrefix) {
				_ = os.Remove(filepath.Join(sub, f.Name()))
			}
		}
		b.made.Store(sub, true)
	}
	if created {
		_ = syncDir(b.dir)
	}
}

// Path is where the blob with hash h lives (whether or not it exists).
func (b *Blobs) Path(h Hash) string {
	s := h.String()
	return filepath.Join(b.dir, s[:2], s)
}

// Put stores data durably: it is written to a temporary file, synced, and
// renamed into place, and the folder is synced, so a crash leaves either the
// whole blob or none of it.
func (b *Blobs) Put(data []byte) (Hash, error) {
	h := Hash(sha256.Sum256(data))
	final := b.Path(h)
	if _, err := os.Stat(final); err == nil {
		return h, nil
	}
	dir := filepath.Dir(final)
	if err := b.ensureSub(dir); err != nil {
		return h, err
	}
	tmp, err := os.CreateTemp(dir, tmpPrefix+"*")
	if err != nil {
		return h, fmt.Errorf("store blob %s: %w", h, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return h, fmt.Errorf("store blob %s: %w", h, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return h, fmt.Errorf("store blob %s: sync: %w", h, err)
	}
	if err := tmp.Close(); err != nil {
		return h, fmt.Errorf("store blob %s: %w", h, err)
	}
	if err := os.Rename(tmp.Name(), final); err != nil {
		return h, fmt.Errorf("store blob %s: %w", h, err)
	}
	return h, syncDir(dir)
}

// Get reads a blob and checks that its bytes still match its name.
func (b *Blobs) Get(h Hash) ([]byte, error) {
	data, err := b.Read(h)
	if err != nil {
		return nil, err
	}
	if Hash(sha256.Sum256(data)) != h {
		return nil, fmt.Errorf("blob %s: contents do not match the hash (corrupt file)", h)
	}
	return data, nil
}

// Read reads a blob without checking its bytes against its name, for a
// caller whose receiver checks every byte anyway: the employer hashes each
// image a sync sends it, so the sending node does not hash it first.
func (b *Blobs) Read(h Hash) ([]byte, error) { return b.ReadInto(h, nil) }

// ReadInto is Read into buf when the blob fits in its capacity, so that a
// reader of many images reuses a few buffers instead of allocating (and
// faulting in) a fresh one for each.
func (b *Blobs) ReadInto(h Hash, buf []byte) ([]byte, error) {
	f, err := os.Open(b.Path(h))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("blob %s: %w", h, ErrNotFound)
	}
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	size := info.Size()
	if int64(cap(buf)) < size {
		buf = make([]byte, size)
	}
	buf = buf[:size]
	if _, err := io.ReadFull(f, buf); err != nil {
		return nil, fmt.Errorf("blob %s: %w", h, err)
	}
	return buf, nil
}

// Has reports whether the blob exists.
func (b *Blobs) Has(h Hash) bool {
	_, err := os.Stat(b.Path(h))
	return err == nil
}

// Delete removes a blob from disk; a missing blob is not an error.
func (b *Blobs) Delete(h Hash) error {
	p := b.Path(h)
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("delete blob %s: %w", h, err)
	}
	return syncDir(filepath.Dir(p))
}
