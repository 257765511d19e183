package timesheet

import (
	"errors"

	"github.com/workdiary/workdiary/internal/ledger"
)

// Errors VerifyBundle and Build return, wrapped with what exactly failed.
// Callers tell them apart with errors.Is. Each message names the file or
// field concerned, so `workdiary verify` can print it as the reason.
var (
	// ErrTampered: bytes differ from what was signed or from the canonical
	// form (a changed entry, a changed README, a re-packed zip, …).
	ErrTampered = errors.New("bundle has been altered")
	// ErrBadSignature: a signature does not verify, or is by the wrong key.
	ErrBadSignature = errors.New("signature does not verify")
	// ErrNotCosigned: the checkpoint lacks the employer's or the
	// contractor's signature.
	ErrNotCosigned = errors.New("checkpoint is not signed by both parties")
	// ErrKeyMismatch: a key file does not match the key in the signed
	// offer or acceptance.
	ErrKeyMismatch = errors.New("public key does not match the contract")
	// ErrTotalsMismatch: recomputing the timesheet from the entries gives
	// different numbers than the signed timesheet.json.
	ErrTotalsMismatch = errors.New("timesheet does not match its entries")
	// ErrNotInWeek: the timesheet lists an entry that is not live time
	// inside its week.
	ErrNotInWeek   = errors.New("entry is not inside the timesheet's week")
	ErrMissingFile = errors.New("bundle is missing a file")
	ErrExtraFile   = errors.New("bundle has an unexpected file")
	// ErrMalformed: not a zip, or a file that does not parse.
	ErrMalformed = errors.New("malformed bundle")
	// ErrBadWeek: a week that is not ISO 8601 "YYYY-Www".
	ErrBadWeek = errors.New("invalid week")
	// ErrNotTheWeek: a closed week's bundle does not carry exactly the
	// entries its close names (one dropped or added, another week's, a
	// proof that does not lead to the close's root).
	ErrNotTheWeek = ledger.ErrNotTheWeek
	// ErrNotTheAcceptance: the acceptance is not the one both parties
	// bound when they closed the week (one signed again, with another
	// start).
	ErrNotTheAcceptance = errors.New("acceptance is not the one the week was closed with")
	// ErrBadInput: Build or Export was given inputs that do not fit together.
	ErrBadInput = errors.New("invalid timesheet input")
)
