package syncp2p

import (
	"crypto/ed25519"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
)

// What the errors of Sender and Receiver mean. Each reaches the other side
// as its wire code (errors.go), so an implementation must pick the one that
// says what the counterpart should do:
//
//   - ErrUnknown: this store has no such contract.
//   - ErrNotParty: the contract exists but the peer asking (or this
//     installation, in the role asked of it) is not its party.
//   - ErrNotFound: a requested entry range or image is not there, or may
//     not be given out.
//   - ErrCheckpoint: a checkpoint note or receipt does not match the log.
//   - ErrMalformed: bytes that do not decode.
//   - ErrUnavailable: nothing is wrong with either copy, but this store
//     cannot take the batch now (its disk is full or read-only, or another
//     round of the same log committed first); the same sync later works.
//   - ErrDiverged is never a store's answer: the protocol decides that the
//     two copies' histories differ, by comparing heads (send.go, file.go).
//
// Any other error is this side's failure (ErrInternal on the wire). The
// conformance suite in syncp2ptest holds every implementation to this.

// Sender is the contractor's side of a contract: the log it writes.
type Sender interface {
	// SenderHead returns the head of the contractor's log for contract when
	// employer is that contract's employer (else ErrNotParty or ErrUnknown).
	SenderHead(contract contract.ID, employer peer.ID) (ledger.Head, error)
	// Entries returns the signed bytes of seq from..to, in order (none
	// when to is from-1); ErrNotFound when the log does not hold them all.
	Entries(contract contract.ID, from, to uint64) ([][]byte, error)
	// Blob returns an image that an entry of the contract's log commits
	// to; anything else is ErrNotFound, so nothing unapproved leaves.
	Blob(contract contract.ID, hash ledger.ImageHash) ([]byte, error)
	// Checkpoint signs (or returns the signed) note of the whole log.
	Checkpoint(contract contract.ID) ([]byte, error)
	// Acked records that the employer committed the log up to seq.
	Acked(contract contract.ID, seq uint64) error
	// Refused records the entries the employer keeps but refused, with
	// why (told again each round; recording one twice changes nothing).
	Refused(contract contract.ID, refused []Refusal) error
	// Receipt keeps the employer's cosigned checkpoint when it cosigns
	// exactly the note sent (ledger.OpenReceipt), else ErrCheckpoint and
	// nothing changes: a stale or foreign receipt never replaces a kept one.
	Receipt(contract contract.ID, sent, cosigned []byte) error
	// PendingAcceptance is the signed acceptance still to deliver, if
	// any, with the proof that it comes from the invite.
	PendingAcceptance(contract contract.ID) (signed, proof []byte, ok bool)
	// AcceptanceDelivered records that the employer has the acceptance.
	AcceptanceDelivered(contract contract.ID) error
	// Bind checks contract records the employer sent and binds into the
	// log those that apply (contract.Lifecycle.Bind); the rest are
	// refused, with why, and nothing of them is kept.
	Bind(contract contract.ID, records [][]byte) error
}

// BlobReader is a Sender that reads images into a buffer of the caller's
// when they fit its capacity, so the blob server reuses a few buffers for
// a week of images instead of a fresh one for each. BlobsOf looks up once
// what every image of contract needs (the contract, the log and the
// offer's rules) and returns the reader of its images, for one blob
// stream: a week is 240 requests.
type BlobReader interface {
	BlobsOf(contract contract.ID) (ReadBlobInto, error)
}

// ReadBlobInto is Sender.Blob for one contract, read into buf when the
// image fits. of, when not nil, is an entry of this node's own log of the
// contract that holds the image, decoded from its store for the batch the
// round has just sent: the reader may check the image against it instead
// of looking up and decoding the entry again.
type ReadBlobInto func(hash ledger.ImageHash, of *ledger.Entry, buf []byte) ([]byte, error)

// Receiver is the employer's side: its copy of each contractor's log.
type Receiver interface {
	// Terms returns what the employer agreed for contract, when contractor
	// is that contract's contractor (else ErrNotParty or ErrUnknown).
	Terms(contract contract.ID, contractor peer.ID) (Terms, error)
	// Head is the head of the employer's copy (zero while it is empty).
	Head(contract contract.ID) (ledger.Head, error)
	// WithHistory runs fn with the copy's history, for the chain rules.
	WithHistory(contract contract.ID, fn func(ledger.History) error) error
	// HasBlob reports whether an image is already stored.
	HasBlob(hash ledger.ImageHash) bool
	// StageImages starts the set of one batch's images.
	StageImages() ImageStage
	// Commit stores a verified batch, the refusals among its entries and
	// the images staged for it atomically, provided the copy is still at
	// from; nothing of a failed commit remains. A copy no longer at from
	// (another round of the same log committed first) is ErrUnavailable,
	// not ErrDiverged: the batch was verified against a head that has
	// since moved on, and the next round continues from the new one. A
	// full or read-only disk is ErrUnavailable too.
	Commit(contract contract.ID, from ledger.Head, entries []ledger.Signed, refused []Refusal, images ImageStage) error
	// Refusals lists the entries of the copy refused so far, by seq.
	Refusals(contract contract.ID) ([]Refusal, error)
	// Cosign checks the contractor's checkpoint note against the copy,
	// cosigns it, keeps it and returns it; ErrCheckpoint when the note is
	// not the contractor's or does not match the copy.
	Cosign(contract contract.ID, note []byte) ([]byte, error)
	// Proposed are the contract records the employer signed that its
	// copy of the log does not bind yet, oldest first.
	Proposed(contract contract.ID) ([][]byte, error)
	// RecordAcceptance verifies and records a contractor's acceptance of
	// one of this employer's offers, returning the contract it accepts:
	// ErrMalformed when it does not decode, ErrUnknown for no such offer,
	// ErrNotParty when another peer signed it or the offer refuses it.
	RecordAcceptance(signed, proof []byte, from peer.ID) (contract.ID, error)
}

// A CommitPreparer is a Receiver that can build a batch's commit while
// the batch's images still arrive: the round calls PrepareCommit once
// the batch is verified, and Commit with the same batch and stage then
// waits only for the images. Preparing is only ahead of time: whatever
// it could not do, Commit does, with the same errors.
type CommitPreparer interface {
	PrepareCommit(contract contract.ID, from ledger.Head, entries []ledger.Signed, refused []Refusal, images ImageStage)
}

// ImageStage keeps a batch's images aside as they arrive (on disk, not in
// memory: a week of screenshots from a hundred contractors at once does
// not fit) until the batch commits.
type ImageStage interface {
	// Add keeps one image aside and returns its SHA-256. A fetch calls it
	// from several goroutines at once.
	Add(data []byte) (ledger.ImageHash, error)
	// Discard drops whatever a commit did not take; safe more than once.
	Discard()
}

// Terms are what the employer checks a contractor's entries against: whose
// signatures, and the contract's rules for entries (the same rules the
// contractor's node applies before it signs).
type Terms struct {
	Contractor ed25519.PublicKey
	contract.EntryRules
	// Life is the contract's lifecycle as the copy binds it so far, a copy
	// the batch's record entries are checked against (nil: none can bind).
	Life *contract.Lifecycle
}

// Refusal is an entry the employer keeps in its copy, for the chain, but
// does not take: it is correctly signed and chained and breaks a term of
// the contract. It counts for nothing; the contractor voids it.
type Refusal struct {
	Seq    uint64 `cbor:"1,keyasint"`
	Reason string `cbor:"2,keyasint"`
}

// Progress reports a sync as it goes.
type Progress struct {
	Contract contract.ID
	Stage    string // "hello", "waiting" (the employer is busy), "sending", "checkpoint", "done"
	Sent     uint64 // seq the employer has acknowledged
	Total    uint64 // the contractor's head
	// Images sent so far in this round, of ImagesTotal that the batches
	// sent so far name (the employer fetches those it does not hold).
	Images      uint64
	ImagesTotal uint64
}
