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

// codes pairs each sentinel with its wire code. The order is fixed and
// matters: an error that carries two sentinels (one wrapped in the other,
// or joined) is sent as the first that matches, on every run. The more
// specific and more actionable conditions come first.
var codes = []struct {
	code string
	err  error
}{
	{"unavailable", ErrUnavailable},
	{"version", ErrVersion},
	{"not-party", ErrNotParty},
	{"unknown", ErrUnknown},
	{"terms", ErrTerms},
	{"bad-image", ErrBadImage},
	{"diverged", ErrDiverged},
	{"checkpoint", ErrCheckpoint},
	{"rejected", ErrRejected},
	{"not-found", ErrNotFound},
	{"malformed", ErrMalformed},
	{"internal", ErrInternal},
}

// codeOf is the one place that maps errors to wire codes.
func codeOf(err error) string {
	for _, c := range codes {
		if errors.Is(err, c.err) {
			return c.code
		}
	}
	return "internal"
}

// sentinelOf is the sentinel of a wire code; an unknown code (from a newer
// peer) is ErrInternal.
func sentinelOf(code string) error {
	for _, c := range codes {
		if c.code == code {
			return c.err
		}
	}
	return ErrInternal
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
	return sentinelOf(e.Code)
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
