package capture

import (
	"bytes"
	"strings"
)

const (
	esc = 0x1b
	csi = 0x9b
)

// unknownSet stands for a designated set this decoder does not know: each
// byte becomes U+FFFD, so the rest of the title still reads.
var unknownSet = charset{1, func([]byte) string { return "\uFFFD" }}

// compoundText decodes ICCCM compound text: ISO 2022 with GL starting as
// ASCII and GR as the right half of Latin-1, character sets designated by
// escape sequences, UTF-8 between ESC % G and ESC % @ (what Xlib writes for
// characters no designated set holds) and extended segments that name their
// encoding. Direction controls are dropped; anything malformed becomes
// U+FFFD instead of failing the whole title.
func compoundText(b []byte) string {
	gl, gr := ascii, latin1Right
	var out strings.Builder
	for i := 0; i < len(b); {
		c := b[i]
		switch {
		case c == esc:
			i += escape(b[i:], &gl, &gr, &out)
		case c == csi:
			i += skipCSI(b[i:])
		case c == '\t' || c == '\n' || c == ' ':
			out.WriteByte(c)
			i++
		case c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0):
			i++ // other controls have no place in a title
		case c < 0x80:
			i += emit(&out, gl, b[i:], 0x21, 0x7e)
		default:
			i += emit(&out, gr, b[i:], 0xa0, 0xff)
		}
	}
	return out.String()
}

// emit decodes one character of set from the start of b, whose bytes must
// lie in lo..hi, and returns how many bytes it used.
func emit(out *strings.Builder, set charset, b []byte, lo, hi byte) int {
	if len(b) < set.width {
		out.WriteString("\uFFFD")
		return len(b)
	}
	c := make([]byte, set.width)
	for k := range c {
		if b[k] < lo || b[k] > hi {
			out.WriteString("\uFFFD")
			return max(k, 1)
		}
		c[k] = b[k] & 0x7f
	}
	out.WriteString(set.decode(c))
	return set.width
}

// escape applies the escape sequence at the start of b (b[0] is ESC) and
// returns its length, including a UTF-8 or extended segment it opens.
func escape(b []byte, gl, gr *charset, out *strings.Builder) int {
	n := 1 // ESC, intermediates 0x20–0x2F, then one final byte 0x30–0x7E
	for n < len(b) && b[n] >= 0x20 && b[n] <= 0x2f {
		n++
	}
	if n >= len(b) || b[n] < 0x30 || b[n] > 0x7e {
		return n // truncated or malformed: drop what was read
	}
	mid, final := string(b[1:n]), b[n]
	n++
	switch mid {
	case "(":
		*gl = lookup(set94, final)
	case ")":
		*gr = lookup(set94, final)
	case "-":
		*gr = lookup(set96, final)
	case "$", "$(":
		*gl = lookup(set94x94, final)
	case "$)":
		*gr = lookup(set94x94, final)
	case "%":
		if final == 'G' {
			return n + utf8Segment(b[n:], out)
		}
	case "%/":
		return n + extendedSegment(b[n:], out)
	}
	return n
}

func lookup(sets map[byte]charset, final byte) charset {
	if s, ok := sets[final]; ok {
		return s
	}
	return unknownSet
}

// utf8Segment copies UTF-8 up to ESC % @ (or the end) and returns how many
// bytes it consumed, the closing sequence included.
func utf8Segment(b []byte, out *strings.Builder) int {
	end := bytes.Index(b, []byte{esc, '%', '@'})
	if end < 0 {
		out.WriteString(strings.ToValidUTF8(string(b), "\uFFFD"))
		return len(b)
	}
	out.WriteString(strings.ToValidUTF8(string(b[:end]), "\uFFFD"))
	return end + 3
}

// extendedSegment decodes ESC % / n M L name STX bytes: M and L give the
// length of name, STX and bytes in base 128 with the high bit set.
func extendedSegment(b []byte, out *strings.Builder) int {
	if len(b) < 2 || b[0] < 0x80 || b[1] < 0x80 {
		out.WriteString("\uFFFD")
		return min(len(b), 2)
	}
	size := int(b[0]&0x7f)*128 + int(b[1]&0x7f)
	seg := b[2:min(len(b), 2+size)]
	name, data, ok := bytes.Cut(seg, []byte{0x02})
	enc, known := extended[strings.ToLower(string(name))]
	switch {
	case ok && strings.EqualFold(string(name), "utf-8"):
		out.WriteString(strings.ToValidUTF8(string(data), "\uFFFD"))
	case ok && known:
		if s, err := enc.NewDecoder().Bytes(data); err == nil {
			out.WriteString(strings.ToValidUTF8(string(s), "\uFFFD"))
			break
		}
		out.WriteString("\uFFFD")
	default:
		out.WriteString("\uFFFD")
	}
	return 2 + len(seg)
}

// skipCSI returns the length of the control sequence at the start of b:
// parameters 0x30–0x3F, intermediates 0x20–0x2F, one final byte.
func skipCSI(b []byte) int {
	n := 1
	for n < len(b) && b[n] >= 0x20 && b[n] <= 0x3f {
		n++
	}
	if n < len(b) && b[n] >= 0x40 && b[n] <= 0x7e {
		n++
	}
	return n
}
