package contract

import (
	"bytes"
	"errors"
	"image/png"
	"strings"
	"testing"
)

func TestInviteRoundTrip(t *testing.T) {
	o := newTestOffer(t, newIdentity(t, "Acme"))
	code := o.Invite()
	if !strings.HasPrefix(code, "wdinv1-") || strings.ContainsAny(code, " \n=") {
		t.Fatalf("invite %q: want one line starting wdinv1-", code)
	}
	t.Logf("invite is %d characters", len(code))
	mid := len(code) / 2
	variants := map[string]string{
		"as is":        code,
		"upper case":   strings.ToUpper(code),
		"wrapped":      code[:mid] + "\r\n  " + code[mid:] + "\n",
		"padded":       "  \t" + code + " ",
		"mail wrapped": strings.Join(chunks(code, 76), "\n"),
	}
	for name, v := range variants {
		got, err := DecodeInvite(v)
		if err != nil {
			t.Errorf("%s: DecodeInvite = %v", name, err)
			continue
		}
		if got.ID() != o.ID() || !bytes.Equal(got.Signed(), o.Signed()) || got.Invite() != code {
			t.Errorf("%s: decoded a different offer", name)
		}
	}
}

func chunks(s string, n int) []string {
	var out []string
	for len(s) > n {
		out, s = append(out, s[:n]), s[n:]
	}
	return append(out, s)
}

// TestInviteEverySingleCharChange replaces each character of a code with
// every plausible wrong one. A change in the payload or checksum must be a
// typo; in the prefix it is "not an invite" or "newer version"; only a
// change of letter case decodes, to the same offer.
func TestInviteEverySingleCharChange(t *testing.T) {
	o := newTestOffer(t, newIdentity(t, "Acme"))
	code := o.Invite()
	const replacements = "abcdefghijklmnopqrstuvwxyz234567ABCZ0189-_.!/+=é"
	for i := range code {
		for _, r := range replacements {
			if string(r) == code[i:i+1] {
				continue
			}
			bad := code[:i] + string(r) + code[i+1:]
			_, err := DecodeInvite(bad)
			if strings.EqualFold(string(r), code[i:i+1]) {
				if err != nil {
					t.Fatalf("case change at %d to %q: %v, want the same offer", i, r, err)
				}
				continue
			}
			if err == nil {
				t.Fatalf("change at %d to %q decodes", i, r)
			}
			if i >= len("wdinv1-") && !errors.Is(err, ErrTypo) {
				t.Fatalf("change at %d to %q: err = %v, want ErrTypo", i, r, err)
			}
		}
	}
}

func TestInviteTruncated(t *testing.T) {
	code := newTestOffer(t, newIdentity(t, "Acme")).Invite()
	for n := 0; n < len(code); n++ {
		_, err := DecodeInvite(code[:n])
		want := ErrTypo
		if n < len("wdinv") {
			want = ErrNotInvite
		}
		if !errors.Is(err, want) {
			t.Fatalf("first %d of %d characters: err = %v, want %v", n, len(code), err, want)
		}
	}
	if _, err := DecodeInvite(code + "a"); !errors.Is(err, ErrTypo) {
		t.Errorf("extra character: err = %v, want ErrTypo", err)
	}
}

func TestInviteErrors(t *testing.T) {
	emp := newIdentity(t, "Acme")
	o := newTestOffer(t, emp)
	code := o.Invite()
	body := code[len("wdinv1-"):]

	badSig := o.Signed()
	badSig[len(badSig)-1] ^= 0x01 // the last byte is in the Ed25519 signature
	w := o.wire()
	w.Screenshots = 4
	badTerms := resign(t, emp, w)

	tests := []struct {
		name, code string
		want       error
		msg        string
	}{
		{"empty", "", ErrNotInvite, "not a Workdiary invite"},
		{"web link", "https://example.com/invite", ErrNotInvite, "not a Workdiary invite"},
		{"other prefix", "wdinx1-" + body, ErrNotInvite, "not a Workdiary invite"},
		{"newer version", "wdinv3-" + body, ErrNewerVersion, "newer version"},
		{"version 10", "wdinv10-" + body, ErrNewerVersion, "newer version"},
		{"version 0", "wdinv0-" + body, ErrTypo, "typo"},
		{"no dash", "wdinv1" + body, ErrTypo, "typo or is incomplete: check it was copied whole"},
		{"huge", "wdinv1-" + strings.Repeat("a", maxInviteLen), ErrNotInvite, "longer than any invite"},
		{"bad signature, valid checksum", encodeInvite(badSig, nil), ErrBadSignature, "signature does not verify"},
		{"invalid terms, valid checksum", encodeInvite(badTerms, nil), ErrInvalidTerms, "terms are invalid: screenshots"},
		{"not cbor, valid checksum", encodeInvite([]byte("hello"), nil), ErrMalformed, "malformed"},
	}
	for _, tt := range tests {
		_, err := DecodeInvite(tt.code)
		t.Logf("%s: %v", tt.name, err)
		if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.msg) {
			t.Errorf("%s: err = %v, want %v mentioning %q", tt.name, err, tt.want, tt.msg)
		}
	}
}

func TestInviteQR(t *testing.T) {
	code := newTestOffer(t, newIdentity(t, "Acme")).Invite()
	b, err := InviteQR(code, 512)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("InviteQR output is not a PNG: %v", err)
	}
	if got := img.Bounds().Dx(); got != 512 {
		t.Errorf("QR width = %d, want 512", got)
	}
	if _, err := InviteQR(code[:len(code)-1], 512); !errors.Is(err, ErrTypo) {
		t.Errorf("QR of a truncated code: err = %v, want ErrTypo", err)
	}
	if _, err := InviteQR(code, 10); err == nil {
		t.Error("QR of 10 pixels: want an error")
	}
}
