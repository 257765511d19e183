package node

import (
	"errors"

	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/owner"
	"github.com/workdiary/workdiary/internal/relocate"
)

// ErrUnknownOp: the node does not know the op asked for (the running
// owner is older than the caller).
var ErrUnknownOp = errors.New("unknown operation")

// wireErrors are the conditions a caller on the other side of the control
// socket acts on, with their codes. The order is fixed: an error that
// carries two of them (wrapped in each other, or joined) maps to the
// first, on every run.
var wireErrors = []struct {
	code string
	err  error
}{
	{"unknown-op", ErrUnknownOp},
	{"no-identity", identity.ErrNoIdentity},
	{"identity-exists", identity.ErrExists},
	{"bad-name", identity.ErrBadName},
	{"already-tracking", ErrAlreadyTracking},
	{"no-receipt", ErrNoReceipt},
	{"contract-not-found", contract.ErrNotFound},
	{"contract-ambiguous", contract.ErrAmbiguous},
	{"contract-ended", contract.ErrEnded},
	{"busy", owner.ErrBusy},
	{"contract-wrong-time", contract.ErrWrongTime},
	{"contract-paused", contract.ErrPaused},
	{"contract-not-paused", contract.ErrNotPaused},
	{"no-dispute", contract.ErrNoDispute},
	{"not-employer", contract.ErrNotEmployer},
	{"no-handover", ErrNoHandover},
	{"unknown-setting", config.ErrUnknownKey},
	{"setting-not-number", config.ErrNotNumber},
	{"setting-not-bool", config.ErrNotBool},
	{"setting-out-of-range", config.ErrOutOfRange},
	{"setting-bad-app", config.ErrBadApp},
	{"setting-bad-address", config.ErrBadAddress},
	{"setting-bad-zone", config.ErrBadZone},
	{"webcam-not-allowed", ErrWebcamNotAllowed},
	{"no-move", ErrNoMove},
	{"move-inside", relocate.ErrInside},
	{"move-not-empty", relocate.ErrNotEmpty},
	{"move-no-space", relocate.ErrNoSpace},
	{"move-not-folder", relocate.ErrNotFolder},
	{"nothing-to-approve", ErrNothingToApprove},
}

// wireCode is the code of the first condition err carries ("" for none).
func wireCode(err error) string {
	for _, w := range wireErrors {
		if errors.Is(err, w.err) {
			return w.code
		}
	}
	return ""
}

// codedError is a handler's error with its code, for the control socket.
type codedError struct {
	err  error
	code string
}

func (e *codedError) Error() string    { return e.err.Error() }
func (e *codedError) Unwrap() error    { return e.err }
func (e *codedError) WireCode() string { return e.code }

func withCode(err error) error {
	if code := wireCode(err); code != "" {
		return &codedError{err: err, code: code}
	}
	return err
}

// RemoteError is an error the owner answered with: its text, and the
// condition its code names, so the caller compares it with errors.Is as
// if the op had run in its own process.
type RemoteError struct {
	*owner.RemoteError
	condition error
}

// Unwrap gives the condition the code names, and the owner's error.
func (e *RemoteError) Unwrap() []error {
	if e.condition == nil {
		return []error{e.RemoteError}
	}
	return []error{e.condition, e.RemoteError}
}

func remoteError(re *owner.RemoteError) error {
	e := &RemoteError{RemoteError: re}
	for _, w := range wireErrors {
		if w.code == re.Code {
			e.condition = w.err
		}
	}
	return e
}
