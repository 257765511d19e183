package capture

import (
	"strings"
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/charmap"
	"golang.org/x/text/encoding/japanese"
	"golang.org/x/text/encoding/korean"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Type names of the X text properties a window title comes in.
const (
	typeString       = "STRING"        // ICCCM: ISO 8859-1
	typeUTF8         = "UTF8_STRING"   // EWMH _NET_WM_NAME
	typeCompoundText = "COMPOUND_TEXT" // ICCCM: ISO 2022 subset, what Xlib writes for anything beyond Latin-1
)

// decodeText turns an X text property into UTF-8 by the property's type.
// Titles are read as STRING when the type is unknown or missing, which is
// what old clients mean; invalid UTF-8 in a UTF8_STRING is replaced rather
// than trusted, because the title ends up in a signed record.
//
// A STRING that is valid UTF-8 with multi-byte sequences is read as UTF-8:
// many clients (xprop among them) write UTF-8 bytes under that type, while
// real Latin-1 text almost never forms valid multi-byte sequences ("Ã"
// followed by a C1 control or a symbol from ¡ to ¿).
func decodeText(typ string, b []byte) string {
	switch typ {
	case typeUTF8:
		return strings.ToValidUTF8(string(b), "\uFFFD")
	case typeCompoundText:
		return compoundText(b)
	}
	if utf8.Valid(b) {
		return string(b)
	}
	return latin1(b)
}

// latin1 converts an ICCCM STRING (ISO-8859-1) to UTF-8.
func latin1(b []byte) string {
	r := make([]rune, len(b))
	for i, c := range b {
		r[i] = rune(c)
	}
	return string(r)
}

// charset is one graphic character set that compound text can designate
// into GL (0x21–0x7E) or GR (0xA1–0xFE). decode receives one character's
// bytes with the high bit cleared.
type charset struct {
	width  int // bytes per character
	decode func(c []byte) string
}

// single is a 96- or 94-character set whose right half is an 8-bit charmap.
func single(cm *charmap.Charmap) charset {
	return charset{1, func(c []byte) string { return string(cm.DecodeByte(c[0] | 0x80)) }}
}

func fromEncoding(e encoding.Encoding, prefix ...byte) func([]byte) string {
	return func(c []byte) string {
		seq := append(append([]byte{}, prefix...), c...)
		for i := len(prefix); i < len(seq); i++ {
			seq[i] |= 0x80
		}
		out, err := e.NewDecoder().Bytes(seq)
		if err != nil || !utf8.Valid(out) {
			return "\uFFFD"
		}
		return string(out)
	}
}

var (
	ascii       = charset{1, func(c []byte) string { return string(rune(c[0])) }}
	latin1Right = charset{1, func(c []byte) string { return string(rune(c[0] | 0x80)) }}
	jisRoman    = charset{1, func(c []byte) string {
		switch c[0] {
		case 0x5c:
			return "¥"
		case 0x7e:
			return "‾"
		}
		return string(rune(c[0]))
	}}
	jisKana = charset{1, func(c []byte) string {
		if c[0] < 0x21 || c[0] > 0x5f {
			return "\uFFFD"
		}
		return string(rune(0xff61 + int(c[0]) - 0x21))
	}}
)

// Final bytes of the designations Xlib writes (ESC ( F, ESC ) F: 94-character
// sets; ESC - F: 96-character sets; ESC $ ( F, ESC $ ) F: 94×94 sets).
var (
	set94 = map[byte]charset{'B': ascii, 'J': jisRoman, 'I': jisKana}
	set96 = map[byte]charset{
		'A': latin1Right, 'B': single(charmap.ISO8859_2), 'C': single(charmap.ISO8859_3),
		'D': single(charmap.ISO8859_4), 'F': single(charmap.ISO8859_7), 'G': single(charmap.ISO8859_6),
		'H': single(charmap.ISO8859_8), 'L': single(charmap.ISO8859_5), 'M': single(charmap.ISO8859_9),
		'V': single(charmap.ISO8859_10), 'Y': single(charmap.ISO8859_13), '_': single(charmap.ISO8859_14),
		'b': single(charmap.ISO8859_15), 'f': single(charmap.ISO8859_16), 'T': single(charmap.Windows874),
	}
	set94x94 = map[byte]charset{
		'A': {2, fromEncoding(simplifiedchinese.GBK)},
		'B': {2, fromEncoding(japanese.EUCJP)},
		'C': {2, fromEncoding(korean.EUCKR)},
		'D': {2, fromEncoding(japanese.EUCJP, 0x8f)},
	}
	// Extended segments (ESC % / n M L name STX bytes) name their encoding.
	extended = map[string]encoding.Encoding{
		"koi8-r": charmap.KOI8R, "koi8-u": charmap.KOI8U, "big5-0": traditionalchinese.Big5,
		"gbk-0": simplifiedchinese.GBK, "iso8859-15": charmap.ISO8859_15,
	}
)
