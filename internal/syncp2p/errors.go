package syncp2p

import (
	"errors"
	"fmt"
)

// Errors compared with errors.Is. Each has a wire code, so a refusal sent
// by one side is the same error on the other.
var (
	ErrMalformed  = errors.New("malformed message")
	ErrVersion    = errors.New("incompatible protocol version")
	ErrNotParty   = errors.New("peer is not a party to this contract")
	ErrUnknown    = errors.New("unknown contract")
	ErrRejected   = errors.New("entries rejected")
	ErrBadImage   = errors.New("image is not what its entry says")
	ErrTerms      = errors.New("entry breaks the contract's terms")
	ErrDiverged   = errors.New("the two copies of the log differ")
	ErrCheckpoint = errors.New("checkpoint does not match")
	ErrNotFound   = errors.New("not found")
	ErrInternal   = errors.New("the other side failed")
	// ErrUnavailable: the other side cannot store anything right now (its
	// disk is full or read-only); the same sync later will work.
	ErrUnavailable = errors.New("the other side cannot store this right now")
)

var codes = map[string]error{
	"malformed": ErrMalformed, "version": ErrVersion, "not-party": ErrNotParty, "unknown": ErrUnknown,
	"rejected": ErrRejected, "bad-image": ErrBadImage, "terms": ErrTerms, "diverged": ErrDiverged,
	"checkpoint": ErrCheckpoint, "not-found": ErrNotFound, "internal": ErrInternal,
	"unavailable": ErrUnavailable,
}

// codeOf is the one place that maps errors to wire codes.
func codeOf(err error) string {
	for code, e := range codes {
		if errors.Is(err, e) {
			return code
		}
	}
	return "internal"
}

// RemoteError is a refusal the other side sent: its code's sentinel and
// the other side's reason.
type RemoteError struct {
	Code   string
	Reason string
}

func (e *RemoteError) Error() string { return "refused by the other side: " + e.Reason }

// Unwrap makes errors.Is work with the sentinel of the code.
func (e *RemoteError) Unwrap() error {
	if s, ok := codes[e.Code]; ok {
		return s
	}
	return ErrInternal
}

func reject(err error) Msg {
	return Msg{Type: tReject, Code: codeOf(err), Reason: err.Error()}
}

func unexpected(m Msg, want string) error {
	if m.Type == tReject {
		return &RemoteError{Code: m.Code, Reason: m.Reason}
	}
	return fmt.Errorf("%w: got message type %d, want %s", ErrMalformed, m.Type, want)
}
