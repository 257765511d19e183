package ledger

import (
	"errors"

	"github.com/workdiary/workdiary/internal/cose"
)

// Errors a caller can tell apart with errors.Is. Each is wrapped with the seq
// (or checkpoint size) it concerns and what was expected versus found, so
// both parties can show the same reason when a batch is refused.
var (
	// ErrInvalidEntry: the entry decodes but a field is out of range or a
	// field is present that its kind forbids.
	ErrInvalidEntry = errors.New("invalid entry")
	ErrGap          = errors.New("entries missing from the log")
	ErrDuplicate    = errors.New("entry already in the log")
	// ErrFork comes with ErrDuplicate when the repeated seq carries a
	// different entry: the contractor signed two versions of the past.
	// ErrDuplicate alone is a harmless replay.
	ErrFork          = errors.New("two different entries share a seq")
	ErrBrokenChain   = errors.New("entry does not follow the previous one")
	ErrWrongContract = errors.New("entry belongs to another contract")
	ErrWrongLog      = errors.New("entry belongs to another log")
	ErrOverlap       = errors.New("segment already recorded")
	ErrBadVoid       = errors.New("void does not refer to a live earlier entry")

	ErrNotIncluded         = errors.New("entry is not in the tree")
	ErrNotConsistent       = errors.New("checkpoints are not consistent")
	ErrCheckpointMismatch  = errors.New("checkpoint does not match the entries")
	ErrMalformedCheckpoint = errors.New("malformed checkpoint")
	ErrUnsigned            = errors.New("checkpoint is not signed by a known key")
	ErrUnknownSigner       = errors.New("checkpoint carries a signature from an unknown key")
	// ErrNotReceipt: a note returned as the receipt of a checkpoint does
	// not cosign exactly that checkpoint.
	ErrNotReceipt = errors.New("not a receipt for the checkpoint sent")
)

// The envelope errors come from package cose; they are repeated here so that
// callers of ledger need not import it. They are the same values.
var (
	ErrMalformed    = cose.ErrMalformed
	ErrBadSignature = cose.ErrBadSignature
	ErrWrongKey     = cose.ErrWrongKey
)
