package ledger

import (
	"bytes"
	"fmt"
)

// FirstSigned is a signed checkpoint or week close as its first signer
// signed it: the body and the first signature line, which is the note a
// cosignature extends (Cosign puts the new signature last). A contractor
// that gets a cosigned note back in a file, not in the round that sent
// it, checks it against the note it signed this way (OpenReceipt,
// OpenCosignedClose verify that its own key made that part).
func FirstSigned(msg []byte) ([]byte, error) {
	if _, err := parseNote(msg, anyBody); err != nil {
		return nil, err
	}
	sigs := bytes.LastIndex(msg, []byte("\n\n")) + 2 // parseNote found the blank line
	end := bytes.IndexByte(msg[sigs:], '\n')
	if end < 0 {
		return nil, fmt.Errorf("%w: no signature line", ErrMalformedCheckpoint)
	}
	return bytes.Clone(msg[:sigs+end+1]), nil
}
