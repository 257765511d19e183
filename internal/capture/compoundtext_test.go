package capture

import (
	"testing"
	"unicode/utf8"
)

func TestDecodeText(t *testing.T) {
	for _, c := range []struct {
		name, typ string
		in        []byte
		want      string
	}{
		{"latin-1 string", typeString, []byte("Caf\xe9 M\xfcller"), "Café Müller"},
		{"utf8 string", typeUTF8, []byte("日本語 — ✓"), "日本語 — ✓"},
		{"invalid utf8 replaced", typeUTF8, []byte("a\xffb"), "a\uFFFDb"},
		{"no type is latin-1", "", []byte("\xc4rger"), "Ärger"},
		{"utf-8 written as string", typeString, []byte("\xc3\x84rger \xe2\x80\x94"), "Ärger —"},
		// What xterm writes through Xlib in a UTF-8 locale:
		{"ct utf-8 segment", typeCompoundText, []byte("invoice-parser \x1b%G\xe2\x80\x94\x1b%@ vim"), "invoice-parser — vim"},
		{"ct latin-1 right half", typeCompoundText, []byte("Caf\xe9"), "Café"},
		{"ct cyrillic", typeCompoundText, []byte("\x1b-L\xbf\xe0\xd8\xd2\xd5\xe2 \xdc\xd8\xe0"), "Привет мир"},
		{"ct greek", typeCompoundText, []byte("\x1b-F\xc5\xeb\xeb\xe7\xed\xe9\xea\xdc"), "Ελληνικά"},
		{"ct jis x 0208 in gl", typeCompoundText, []byte("\x1b$(BF|K\\8l$N%?%$%H%k"), "日本語のタイトル"},
		{"ct jis x 0208 in gr then ascii", typeCompoundText, []byte("\x1b$)B\xc6\xfc\xcb\xdc\x1b(B ok"), "日本 ok"},
		{"ct ksc 5601", typeCompoundText, []byte("\x1b$)C\xc7\xd1\xb1\xb9"), "한국"},
		{"ct gb 2312", typeCompoundText, []byte("\x1b$)A\xd6\xd0\xce\xc4"), "中文"},
		{"ct latin-2 then back to latin-1", typeCompoundText, []byte("\x1b-B\xa3\xf3d\xbc \x1b-A\xe9"), "Łódź é"},
		{"ct half-width kana", typeCompoundText, []byte("\x1b)I\xb1\xb2"), "ｱｲ"},
		{"ct extended koi8-r", typeCompoundText, []byte("\x1b%/1\x80\x89koi8-r\x02\xf0\xd2"), "Пр"},
		{"ct direction controls dropped", typeCompoundText, []byte("\x9b2]a\x9b]b"), "ab"},
		{"ct unknown set", typeCompoundText, []byte("\x1b-~\xe9x"), "\uFFFDx"},
		{"ct truncated escape", typeCompoundText, []byte("x\x1b$"), "x"},
		{"ct unterminated utf-8 segment", typeCompoundText, []byte("\x1b%G\xe2\x80\x94"), "—"},
		{"ct half a double-byte character", typeCompoundText, []byte("\x1b$(BF"), "\uFFFD"},
		{"ct stray controls dropped", typeCompoundText, []byte("a\x07\x85b"), "ab"},
	} {
		if got := decodeText(c.typ, c.in); got != c.want {
			t.Errorf("%s: decodeText(%s, %q) = %q, want %q", c.name, c.typ, c.in, got, c.want)
		}
	}
}

func FuzzCompoundText(f *testing.F) {
	for _, s := range []string{"invoice \x1b%G\xe2\x80\x94\x1b%@", "\x1b$(BF|K\\", "\x1b%/1\x80\x88koi8-r\x02\xf0", "\x9b1]x", "\x1b-L\xbf"} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if s := compoundText(b); !utf8.ValidString(s) {
			t.Fatalf("compoundText(%q) = %q, not valid UTF-8", b, s)
		}
	})
}
