package archive

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
)

// Errors, one per limit; each comes wrapped with the numbers.
var (
	ErrNotZip     = errors.New("not a zip file")
	ErrTooMany    = errors.New("too many files in the archive")
	ErrTooBig     = errors.New("the archive unpacks to too many bytes")
	ErrMemberSize = errors.New("a file in the archive is too big")
	ErrDuplicate  = errors.New("a file name appears twice in the archive")
	ErrCompressed = errors.New("a file in the archive is compressed")
)

// Limits bound what reading an archive may cost.
type Limits struct {
	Members int    // most members
	Total   uint64 // most bytes of all members together, unpacked
	// Member is the most bytes one member may unpack to, by its name.
	Member func(name string) uint64
	// StoredOnly refuses compressed members (for formats that never
	// compress, so their bytes are the bytes read).
	StoredOnly bool
}

// Reader is an archive whose directory is within the limits.
type Reader struct {
	Files []*zip.File
	lim   Limits
}

// Open reads the archive's directory: the member count from the end
// record first (so a directory of millions of members is refused before
// it is parsed), then every member's name, method and size as the
// directory states them. The zip reader refuses a member that unpacks to
// more than its stated size, so the stated sizes bound what Read reads.
func Open(r io.ReaderAt, size int64, lim Limits) (*Reader, error) {
	n, err := memberCount(r, size)
	if err != nil {
		return nil, err
	}
	if n > uint64(lim.Members) {
		return nil, fmt.Errorf("%w: %d, at most %d", ErrTooMany, n, lim.Members)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrNotZip, err)
	}
	if len(zr.File) > lim.Members {
		return nil, fmt.Errorf("%w: %d, at most %d", ErrTooMany, len(zr.File), lim.Members)
	}
	seen := make(map[string]bool, len(zr.File))
	var total uint64
	for _, f := range zr.File {
		switch max := lim.Member(f.Name); {
		case seen[f.Name]:
			return nil, fmt.Errorf("%w: %s", ErrDuplicate, f.Name)
		case lim.StoredOnly && f.Method != zip.Store:
			return nil, fmt.Errorf("%w: %s", ErrCompressed, f.Name)
		case f.UncompressedSize64 > max:
			return nil, fmt.Errorf("%w: %s unpacks to %d bytes, at most %d", ErrMemberSize, f.Name, f.UncompressedSize64, max)
		}
		seen[f.Name] = true
		total += f.UncompressedSize64
		if total > lim.Total {
			return nil, fmt.Errorf("%w: more than %s", ErrTooBig, bytesText(lim.Total))
		}
	}
	return &Reader{Files: zr.File, lim: lim}, nil
}

// Read unpacks one member, checking its checksum. It reads at most the
// member's stated size (checked by Open); a member whose data runs past
// it is an error of the zip reader.
func (r *Reader) Read(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	defer rc.Close()
	b, err := io.ReadAll(io.LimitReader(rc, int64(f.UncompressedSize64)+1))
	if err != nil { // includes zip.ErrChecksum and zip.ErrFormat
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	if uint64(len(b)) != f.UncompressedSize64 {
		return nil, fmt.Errorf("%s: %w: %d bytes, the directory says %d", f.Name, zip.ErrFormat, len(b), f.UncompressedSize64)
	}
	return b, nil
}

// bytesText says n in the largest binary unit that divides it.
func bytesText(n uint64) string {
	switch {
	case n >= 1<<30 && n%(1<<30) == 0:
		return fmt.Sprintf("%d GiB", n>>30)
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}
