package ledger

import (
	"encoding/binary"
	"fmt"
	"math"
	"unicode/utf8"
)

// cborReader reads the one CBOR form a payload may take: definite lengths,
// shortest-form heads, no tags, no floats, no null. Anything else is an
// error, so what it accepts has exactly one byte form without decoding and
// re-encoding through reflection, which cost more than a tenth of the time
// of verifying an entry. Encoding stays with the cbor library; the fuzz
// test holds the two to each other.
type cborReader struct {
	b   []byte
	off int
	err error // the first error; see fail
}

const (
	majorUint  = 0
	majorNeg   = 1
	majorBytes = 2
	majorText  = 3
	majorArray = 4
	majorMap   = 5
	majorOther = 7
)

func malformed(format string, args ...any) error {
	return fmt.Errorf("%w: payload: %s", ErrMalformed, fmt.Sprintf(format, args...))
}

// fail records the first error; later reads return zero values, so a
// parser reads a whole structure and checks r.err once.
func (r *cborReader) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

// head reads an item's first byte and argument, refusing any head that is
// not the shortest for its value.
func (r *cborReader) head(what string) (major byte, arg uint64) {
	if r.err != nil {
		return 0, 0
	}
	if r.off >= len(r.b) {
		r.fail(malformed("%s: unexpected end at byte %d", what, r.off))
		return 0, 0
	}
	ib := r.b[r.off]
	major, arg = ib>>5, uint64(ib&0x1f)
	r.off++
	if arg < 24 {
		return major, arg
	}
	if arg > 27 || major == majorOther {
		r.fail(malformed("%s: indefinite length, float or simple value (%#02x) at byte %d", what, ib, r.off-1))
		return 0, 0
	}
	n := 1 << (arg - 24) // 1, 2, 4 or 8 bytes
	if len(r.b)-r.off < n {
		r.fail(malformed("%s: unexpected end at byte %d", what, r.off))
		return 0, 0
	}
	var min uint64
	switch n {
	case 1:
		arg, min = uint64(r.b[r.off]), 24
	case 2:
		arg, min = uint64(binary.BigEndian.Uint16(r.b[r.off:])), 1<<8
	case 4:
		arg, min = uint64(binary.BigEndian.Uint32(r.b[r.off:])), 1<<16
	default:
		arg, min = binary.BigEndian.Uint64(r.b[r.off:]), 1<<32
	}
	r.off += n
	if arg < min {
		r.fail(malformed("%s: not in shortest form at byte %d", what, r.off-n-1))
		return 0, 0
	}
	return major, arg
}

func (r *cborReader) expect(what string, want byte) uint64 {
	major, arg := r.head(what)
	if r.err == nil && major != want {
		r.fail(malformed("%s: CBOR major type %d, want %d", what, major, want))
	}
	return arg
}

func (r *cborReader) uint(what string, max uint64) uint64 {
	v := r.expect(what, majorUint)
	if r.err == nil && v > max {
		r.fail(fmt.Errorf("%w: %s is %d, more than %d", ErrInvalidEntry, what, v, max))
	}
	return v
}

// int reads a signed 64-bit integer. Negative values get through to
// Validate, which says what is wrong with them in the field's own terms.
func (r *cborReader) int(what string) int64 {
	major, arg := r.head(what)
	switch {
	case r.err != nil:
		return 0
	case (major != majorUint && major != majorNeg) || arg > math.MaxInt64:
		r.fail(malformed("%s: want an integer in the int64 range", what))
		return 0
	case major == majorNeg:
		return -1 - int64(arg)
	}
	return int64(arg)
}

// length reads an array or string head whose length must fit in what is
// left, so a forged length cannot make us allocate.
func (r *cborReader) length(what string, major byte) int {
	n := r.expect(what, major)
	if r.err == nil && n > uint64(len(r.b)-r.off) {
		r.fail(malformed("%s: length %d runs past the end", what, n))
	}
	if r.err != nil {
		return 0
	}
	return int(n)
}

func (r *cborReader) bytes(what string) []byte {
	n := r.length(what, majorBytes)
	if r.err != nil {
		return nil
	}
	r.off += n
	return r.b[r.off-n : r.off : r.off]
}

func (r *cborReader) text(what string) string {
	n := r.length(what, majorText)
	if r.err != nil {
		return ""
	}
	s := string(r.b[r.off : r.off+n])
	r.off += n
	if !utf8.ValidString(s) {
		r.fail(malformed("%s: not valid UTF-8", what))
	}
	return s
}

func (r *cborReader) bool(what string) bool {
	if r.err == nil && r.off < len(r.b) && (r.b[r.off] == 0xf4 || r.b[r.off] == 0xf5) {
		r.off++
		return r.b[r.off-1] == 0xf5
	}
	r.fail(malformed("%s: want true or false at byte %d", what, r.off))
	return false
}

// tuple reads the head of an array that must have exactly n elements.
func (r *cborReader) tuple(what string, n int) {
	if got := r.length(what, majorArray); r.err == nil && got != n {
		r.fail(malformed("%s: array of %d, want %d elements", what, got, n))
	}
}

// list reads the head of an optional array field, which is never empty:
// an empty list is written by leaving the key out.
func (r *cborReader) list(what string) int {
	n := r.length(what, majorArray)
	if r.err == nil && n == 0 {
		r.fail(malformed("%s is empty: omit it instead", what))
	}
	return n
}
