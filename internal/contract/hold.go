package contract

import (
	"bytes"
	"crypto/ed25519"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/identity"
)

// Hold is a signed pause of a contract by either party, or (Resume) the
// end of one. While a contract is paused no time is recorded for it: the
// entry rules refuse segments that start inside a pause.
type Hold struct {
	ContractID ID
	Resume     bool // false: a pause from At; true: the pause ends at At
	By         ed25519.PublicKey
	At         time.Time
	Reason     string // optional, shown to the other side

	signed []byte
}

// holdWire has the shape of an end of contract (endWire); only the kind
// differs: 6 for a pause, 7 for a resumption.

// NewHold signs by's pause (or resumption) of contract id from at.
func NewHold(id ID, by *identity.Identity, resume bool, reason string, at time.Time) (*Hold, error) {
	kind := kindPause
	if resume {
		kind = kindResume
	}
	w := endWire{Kind: kind, Version: recordVersion, ContractID: id[:], At: wireTime(at), Reason: reason}
	signed, err := signRecord(by.PrivateKey(), w)
	if err != nil {
		return nil, fmt.Errorf("sign %s: %w", kindNouns[kind], err)
	}
	return DecodeHold(signed)
}

// DecodeHold verifies a signed pause or resumption; By is its signer.
func DecodeHold(signed []byte) (*Hold, error) {
	kind, err := peekKind(signed)
	if err != nil {
		return nil, err
	}
	if kind != kindResume {
		kind = kindPause // a wrong kind is reported as "want a pause"
	}
	var w endWire
	signer, err := openRecord(signed, kind, &w)
	if err != nil {
		return nil, err
	}
	if err := checkChange(kindNouns[kind], w.ContractID, w.At, w.Reason); err != nil {
		return nil, err
	}
	h := &Hold{Resume: kind == kindResume, By: signer, At: timeFromWire(w.At), Reason: w.Reason, signed: bytes.Clone(signed)}
	copy(h.ContractID[:], w.ContractID)
	return h, nil
}

// Signed returns a copy of the exact signed bytes.
func (h *Hold) Signed() []byte { return bytes.Clone(h.signed) }

// checkChange checks the fields an end, a pause and a resumption share.
func checkChange(noun string, id []byte, at int64, reason string) error {
	if len(id) != len(ID{}) {
		return fmt.Errorf("%s: %w: contract ID is %d bytes", noun, ErrMalformed, len(id))
	}
	if err := checkTime(noun+" time", at); err != nil {
		return fmt.Errorf("%s: %w: %v", noun, ErrMalformed, err)
	}
	if reason != "" {
		if err := checkText("reason", reason, maxReasonRunes); err != nil {
			return fmt.Errorf("%s: %w: %v", noun, ErrMalformed, err)
		}
	}
	return nil
}

func (h *Hold) wire() endWire {
	return endWire{Kind: h.kind(), Version: recordVersion, ContractID: h.ContractID.Bytes(), At: wireTime(h.At), Reason: h.Reason}
}
