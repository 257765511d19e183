package ledger

import (
	"bytes"
	"errors"
	"testing"
)

// A cosigned note's first signed part is exactly the note its first
// signer signed, so OpenCosignedClose takes the two as sent and received;
// a note of one signature is its own first part, and anything that is
// not a signed note is refused.
func TestFirstSigned(t *testing.T) {
	v, sent, cosigned := closeOfVectors(t)
	got, err := FirstSigned(cosigned)
	if err != nil || !bytes.Equal(got, sent) {
		t.Fatalf("FirstSigned(cosigned) = %q, %v; want the note sent", got, err)
	}
	if _, err := OpenCosignedClose(got, cosigned, v.contractor, v.employ); err != nil {
		t.Fatalf("the first part and the cosigned note: %v", err)
	}
	if got, err := FirstSigned(sent); err != nil || !bytes.Equal(got, sent) {
		t.Fatalf("FirstSigned(sent) = %q, %v; want it unchanged", got, err)
	}
	for _, bad := range [][]byte{nil, []byte("workdiary.log/00\n1\nroot\n"), append(bytes.Clone(sent), "trailing"...)} {
		if _, err := FirstSigned(bad); !errors.Is(err, ErrMalformedCheckpoint) {
			t.Errorf("FirstSigned(%q) = %v; want ErrMalformedCheckpoint", bad, err)
		}
	}
}
