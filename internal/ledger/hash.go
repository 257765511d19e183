package ledger

import (
	"encoding/hex"
	"fmt"
)

// ImageHash names an image by the SHA-256 of its bytes, as an entry
// commits to it (Image.SHA256). It is its own type so that a function
// taking a contract and an image cannot have the two swapped; an
// unnamed [32]byte still assigns to it.
type ImageHash [32]byte

// String is the hash in lower-case hex (64 characters).
func (h ImageHash) String() string { return hex.EncodeToString(h[:]) }

// MarshalText is the hash in lower-case hex, for JSON and logs.
func (h ImageHash) MarshalText() ([]byte, error) { return []byte(h.String()), nil }

// UnmarshalText reads the 64 hex characters MarshalText writes.
func (h *ImageHash) UnmarshalText(b []byte) error {
	if hex.DecodedLen(len(b)) != len(h) {
		return fmt.Errorf("image hash %q: want %d hex characters", b, 2*len(h))
	}
	_, err := hex.Decode(h[:], b)
	if err != nil {
		return fmt.Errorf("image hash %q: %w", b, err)
	}
	return nil
}
