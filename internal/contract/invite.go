package contract

import (
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"

	"github.com/skip2/go-qrcode"
)

// Invite code format, version 2:
//
//	wdinv2-<payload><check>
//
// payload is the 16-byte pairing secret followed by the signed offer, in
// RFC 4648 base32 (a–z, 2–7), lower case, no padding; check is the last 8
// characters: the first 40 bits of SHA-256 over "wdinv2-" + payload, in
// the same alphabet. Version 1 (still read) is the same without the
// secret: "wdinv1-" and the signed offer alone.
//
// Why base32: one case-insensitive alphabet without look-alike punctuation
// survives chat apps, e-mail and reading aloud, and its upper-case form
// uses only QR "alphanumeric" characters, so the QR code is about a third
// smaller than with byte mode. Decoding therefore ignores case and all
// whitespace (line breaks added by a mail client).
//
// Why the checksum is over the text, not the bytes: base32's last
// character can carry unused bits, and a change there must still be
// caught. 40 bits make an undetected typo a one-in-a-trillion event.
const (
	invitePrefix   = "wdinv"
	inviteVersion  = 2
	inviteCheckLen = 8
	// maxInviteLen bounds the work done on pasted text; real invites are
	// well under 2,000 characters.
	maxInviteLen = 8 << 10
)

var inviteEncoding = base32.NewEncoding("abcdefghijklmnopqrstuvwxyz234567").WithPadding(base32.NoPadding)

func inviteHead(version int) string { return invitePrefix + strconv.Itoa(version) + "-" }

func inviteCheck(head, payload string) string {
	sum := sha256.Sum256([]byte(head + payload))
	return inviteEncoding.EncodeToString(sum[:5])
}

// encodeInvite writes a version 2 invite, or version 1 when there is no
// secret (an offer kept from before invites carried one).
func encodeInvite(signedOffer, secret []byte) string {
	version := inviteVersion
	if len(secret) == 0 {
		version = 1
	}
	payload := inviteEncoding.EncodeToString(append(append([]byte(nil), secret...), signedOffer...))
	return inviteHead(version) + payload + inviteCheck(inviteHead(version), payload)
}

// DecodeInvite reads an invite code and returns the verified offer. The
// errors distinguish, in this order: not an invite (ErrNotInvite), a newer
// format (ErrNewerVersion), a typo or truncation (ErrTypo), a forged or
// damaged signature (ErrBadSignature) and unacceptable terms
// (ErrInvalidTerms).
func DecodeInvite(code string) (*Offer, error) {
	o, _, err := decodeInviteSecret(code)
	return o, err
}

// decodeInviteSecret is DecodeInvite that also returns the pairing
// secret (nil in a version 1 invite).
func decodeInviteSecret(code string) (*Offer, []byte, error) {
	version, body, err := inviteBytes(code)
	if err != nil {
		return nil, nil, err
	}
	var secret []byte
	if version >= 2 {
		if len(body) <= pairingSecretLen {
			return nil, nil, ErrTypo
		}
		secret, body = body[:pairingSecretLen], body[pairingSecretLen:]
	}
	o, err := DecodeOffer(body)
	if errors.Is(err, ErrBadSignature) {
		return nil, nil, fmt.Errorf("the invite's %w: it was changed after the employer signed it", ErrBadSignature)
	}
	if err != nil {
		return nil, nil, fmt.Errorf("invite: %w", err)
	}
	return o, secret, nil
}

// inviteBytes checks the prefix, version and checksum and returns the
// version and the payload bytes, unverified.
func inviteBytes(code string) (int, []byte, error) {
	if len(code) > maxInviteLen {
		return 0, nil, fmt.Errorf("%w: it is %d characters, longer than any invite", ErrNotInvite, len(code))
	}
	s := strings.Map(normalizeInviteRune, code)
	if !strings.HasPrefix(s, invitePrefix) {
		return 0, nil, ErrNotInvite
	}
	verText, body, ok := strings.Cut(s[len(invitePrefix):], "-")
	ver, err := strconv.Atoi(verText)
	if !ok || err != nil || ver < 1 || verText != strconv.Itoa(ver) {
		return 0, nil, ErrTypo
	}
	if ver > inviteVersion {
		return 0, nil, fmt.Errorf("invite format %d: %w", ver, ErrNewerVersion)
	}
	if len(body) <= inviteCheckLen {
		return 0, nil, ErrTypo
	}
	payload, check := body[:len(body)-inviteCheckLen], body[len(body)-inviteCheckLen:]
	if check != inviteCheck(inviteHead(ver), payload) {
		return 0, nil, ErrTypo
	}
	signed, err := inviteEncoding.DecodeString(payload)
	// Re-encoding refuses non-zero unused bits in the last character, so
	// one offer has exactly one invite text (base32 has no Strict mode).
	if err != nil || inviteEncoding.EncodeToString(signed) != payload {
		return 0, nil, ErrTypo
	}
	return ver, signed, nil
}

// normalizeInviteRune drops whitespace and lower-cases ASCII letters only:
// Unicode case folding would map look-alikes (the Kelvin sign to k) onto
// the alphabet and let a changed character pass.
func normalizeInviteRune(r rune) rune {
	switch {
	case unicode.IsSpace(r):
		return -1
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	}
	return r
}

// InviteQR renders a valid invite code as a PNG QR code size pixels wide.
// The code is put in upper case so the QR uses alphanumeric mode; readers
// hand back text that DecodeInvite accepts in either case.
func InviteQR(code string, size int) ([]byte, error) {
	if size < 64 || size > 4096 {
		return nil, fmt.Errorf("QR code size %d: want 64 to 4096 pixels", size)
	}
	if _, _, err := inviteBytes(code); err != nil {
		return nil, err
	}
	text := strings.ToUpper(strings.Map(normalizeInviteRune, code))
	png, err := qrcode.Encode(text, qrcode.Medium, size)
	if err != nil {
		return nil, fmt.Errorf("render invite QR code: %w", err)
	}
	return png, nil
}
