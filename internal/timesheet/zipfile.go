package timesheet

import (
	"archive/zip"
	"bytes"
	"fmt"
	"hash/crc32"
	"io"
)

// Limits on a bundle being read, so a hostile file cannot make verify
// allocate without bound. Files are stored uncompressed, so sizes in the
// directory are the sizes read.
const (
	MaxBundleSize = 1 << 30
	maxFileSize   = 64 << 20
)

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

// readZip decodes a bundle's members in order. Checksums are checked as
// each file is read; the canonical form is checked by the caller, after the
// contents, so that a changed file is reported as what it is.
func readZip(b []byte) ([]file, error) {
	if len(b) > MaxBundleSize {
		return nil, fmt.Errorf("%w: %d bytes, over the %d limit", ErrMalformed, len(b), MaxBundleSize)
	}
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		return nil, fmt.Errorf("%w: not a zip file: %v", ErrMalformed, err)
	}
	seen := map[string]bool{}
	var out []file
	for _, zf := range zr.File {
		if seen[zf.Name] {
			return nil, fmt.Errorf("%w: %s appears twice", ErrTampered, zf.Name)
		}
		seen[zf.Name] = true
		data, err := readMember(zf)
		if err != nil {
			return nil, err
		}
		out = append(out, file{name: zf.Name, data: data})
	}
	return out, nil
}

func readMember(zf *zip.File) ([]byte, error) {
	if zf.Method != zip.Store || zf.UncompressedSize64 > maxFileSize {
		return nil, fmt.Errorf("%w: %s: not stored the way Workdiary writes bundles", ErrTampered, zf.Name)
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrTampered, zf.Name, err)
	}
	defer rc.Close()
	data, err := io.ReadAll(io.LimitReader(rc, maxFileSize+1))
	if err != nil { // includes zip.ErrChecksum: the bytes changed after zipping
		return nil, fmt.Errorf("%w: %s: %v", ErrTampered, zf.Name, err)
	}
	return data, nil
}
