package contract

import "errors"

// Errors callers tell apart with errors.Is. The messages are written for the
// person who pasted the invite or clicked the button: they say what happened
// and, where it helps, what to do.
var (
	ErrNotInvite     = errors.New("this is not a Workdiary invite code")
	ErrNewerVersion  = errors.New("this was made by a newer version of Workdiary: update Workdiary to open it")
	ErrTypo          = errors.New("the invite code has a typo or is incomplete: check it was copied whole")
	ErrBadSignature  = errors.New("signature does not verify")
	ErrInvalidTerms  = errors.New("terms are invalid")
	ErrMalformed     = errors.New("malformed contract record")
	ErrWrongKind     = errors.New("wrong kind of contract record")
	ErrWrongContract = errors.New("record is for a different contract")
	ErrWrongSigner   = errors.New("record is signed by someone who may not sign it")

	ErrOwnOffer        = errors.New("this is your own offer: send the invite code to the contractor instead")
	ErrAlreadyAccepted = errors.New("this contract has already been accepted")
	ErrEnded           = errors.New("this contract has ended")
	ErrNotFound        = errors.New("no such contract")
	ErrAmbiguous       = errors.New("contract ID prefix matches more than one contract")
	ErrNotEmployer     = errors.New("only the employer can do this")

	// Errors of the contract's lifecycle records (Lifecycle.Bind).
	ErrWrongTime    = errors.New("not allowed at this time")
	ErrPaused       = errors.New("this contract is paused")
	ErrNotPaused    = errors.New("this contract is not paused")
	ErrAlreadyBound = errors.New("this record is already in the log")
	ErrNoDispute    = errors.New("no such dispute in the log")
)
