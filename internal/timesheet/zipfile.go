package timesheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"hash/crc32"
	"strings"

	"github.com/workdiary/workdiary/internal/archive"
	"github.com/workdiary/workdiary/internal/ledger"
)

// Limits on a bundle being read, so a crafted file cannot make verify
// allocate without bound (docs/verify.md). Bundles are stored
// uncompressed, so the bytes in the directory are the bytes read; a
// bundle holds the whole log from seq 1, so the limits leave room for
// about twenty years of full-time entries.
const (
	MaxBundleSize    = 256 << 20 // bytes of the zip
	MaxBundleMembers = 1 << 18   // files in the zip
	maxOtherFile     = 4 << 20   // timesheet, README, records, keys
)

// memberLimit is the most bytes a member may hold, by what it is.
func memberLimit(name string) uint64 {
	switch {
	case strings.HasPrefix(name, entriesDir):
		return ledger.MaxEntrySize
	case name == fileCheckpoint:
		return ledger.MaxCheckpointSize
	}
	return maxOtherFile
}

var bundleLimits = archive.Limits{Members: MaxBundleMembers, Total: MaxBundleSize, Member: memberLimit, StoredOnly: true}

// dosDate1980 is 1980-01-01 in MS-DOS date form, the earliest a zip can
// say: every file gets it, so equal inputs give equal bytes.
const dosDate1980 = 1<<5 | 1

// file is one member of a bundle.
type file struct {
	name string
	data []byte
}

// writeZip encodes files in the given order in the one canonical form this
// package writes and accepts: stored (no compression, so no dependence on
// a compressor's version), fixed times, no extra fields, no comments.
func writeZip(files []file) ([]byte, error) {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		h := &zip.FileHeader{
			Name: f.name, Method: zip.Store, CRC32: crc32.ChecksumIEEE(f.data),
			CompressedSize64: uint64(len(f.data)), UncompressedSize64: uint64(len(f.data)),
			ModifiedDate: dosDate1980,
		}
		w, err := zw.CreateRaw(h)
		if err != nil {
			return nil, fmt.Errorf("zip %s: %w", f.name, err)
		}
		if _, err := w.Write(f.data); err != nil {
			return nil, fmt.Errorf("zip %s: %w", f.name, err)
		}
	}
	if err := zw.Close(); err != nil {
		return nil, fmt.Errorf("zip: %w", err)
	}
	return buf.Bytes(), nil
}

// readZip decodes a bundle's members in order, within bundleLimits.
// Checksums are checked as each file is read; the canonical form is
// checked by the caller, after the contents, so that a changed file is
// reported as what it is.
func readZip(b []byte) ([]file, error) {
	if len(b) > MaxBundleSize {
		return nil, fmt.Errorf("%w: %d bytes, over the %d limit", ErrMalformed, len(b), MaxBundleSize)
	}
	zr, err := archive.Open(bytes.NewReader(b), int64(len(b)), bundleLimits)
	if errors.Is(err, archive.ErrNotZip) {
		return nil, fmt.Errorf("%w: %w", ErrMalformed, err)
	}
	if err != nil { // Workdiary never writes such a bundle
		return nil, fmt.Errorf("%w: %w", ErrTampered, err)
	}
	out := make([]file, 0, len(zr.Files))
	for _, zf := range zr.Files {
		data, err := zr.Read(zf)
		if err != nil { // includes zip.ErrChecksum: the bytes changed after zipping
			return nil, fmt.Errorf("%w: %v", ErrTampered, err)
		}
		out = append(out, file{name: zf.Name, data: data})
	}
	return out, nil
}
