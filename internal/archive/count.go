package archive

import (
	"bytes"
	"encoding/binary"
	"fmt"
	"io"
)

// Signatures and sizes of the end records (APPNOTE.TXT 4.3.14–4.3.16).
const (
	eocdSig       = 0x06054b50
	eocdLen       = 22
	zip64LocSig   = 0x07064b50
	zip64LocLen   = 20
	zip64EOCDSig  = 0x06064b50
	zip64EOCDLen  = 56
	maxCommentLen = 0xffff
)

// memberCount reads the number of members from the archive's end record
// (and the zip64 end record when the count does not fit in 16 bits),
// without reading the directory itself.
func memberCount(r io.ReaderAt, size int64) (uint64, error) {
	tail := min(size, eocdLen+maxCommentLen)
	buf := make([]byte, tail)
	if _, err := r.ReadAt(buf, size-tail); err != nil && err != io.EOF {
		return 0, fmt.Errorf("%w: %v", ErrNotZip, err)
	}
	at := bytes.LastIndex(buf, binary.LittleEndian.AppendUint32(nil, eocdSig))
	if at < 0 || len(buf)-at < eocdLen {
		return 0, fmt.Errorf("%w: no end of central directory", ErrNotZip)
	}
	n := uint64(binary.LittleEndian.Uint16(buf[at+10:]))
	if n != 0xffff {
		return n, nil
	}
	loc := size - tail + int64(at) - zip64LocLen
	var l [zip64LocLen]byte
	if loc < 0 {
		return 0, fmt.Errorf("%w: no zip64 end record", ErrNotZip)
	}
	if _, err := r.ReadAt(l[:], loc); err != nil || binary.LittleEndian.Uint32(l[:]) != zip64LocSig {
		return 0, fmt.Errorf("%w: no zip64 end record", ErrNotZip)
	}
	var e [zip64EOCDLen]byte
	off := binary.LittleEndian.Uint64(l[8:])
	if off > uint64(size) {
		return 0, fmt.Errorf("%w: zip64 end record past the end", ErrNotZip)
	}
	if _, err := r.ReadAt(e[:], int64(off)); err != nil || binary.LittleEndian.Uint32(e[:]) != zip64EOCDSig {
		return 0, fmt.Errorf("%w: no zip64 end record", ErrNotZip)
	}
	return binary.LittleEndian.Uint64(e[32:]), nil
}
