package syncstore

import (
	"crypto/ed25519"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// Deps are what the adapter works on, fixed at New.
type Deps struct {
	Store     *store.Store
	Contracts *contract.Registry
	// Identity is the installation's identity, or an error before one
	// exists.
	Identity func() (*identity.Identity, error)
	Clock    clock.Clock
	Log      *slog.Logger
	// SignCheckpoint returns the signed checkpoint note of the whole
	// contractor's log logID of c (signing it when the log grew).
	SignCheckpoint func(c *contract.Contract, logID ledger.LogID) ([]byte, error)
	// PairingProof is the contractor's proof that its acceptance of a
	// contract comes from the invite (nil when the invite had none).
	PairingProof func(contract.ID) []byte
	// BindRecord binds a contract record the employer sent into the
	// contractor's own log of contract id at now, with the registry, or
	// says why it does not apply (contract.Lifecycle.Bind).
	BindRecord func(id contract.ID, record []byte, now time.Time) error

	// Told after the fact, with no lock of the adapter held; nil is
	// allowed. Synced: the employer holds (or this employer cosigned) a
	// contract's log up to seq. ContractsChanged: an acceptance was
	// recorded or delivered. DiaryChanged: the employer refused entries
	// of our own log.
	Synced           func(contract contract.ID, seq uint64)
	ContractsChanged func()
	DiaryChanged     func()
}

// Adapter implements syncp2p.Sender and syncp2p.Receiver over the store.
// One adapter serves a store: it serialises the commits of received
// batches (see Commit).
type Adapter struct {
	d Deps
	// commitMu: one received batch commits at a time; held across the
	// images' renames and the store's transaction, it takes no other lock.
	commitMu sync.Mutex
}

var (
	_ syncp2p.Sender   = (*Adapter)(nil)
	_ syncp2p.Receiver = (*Adapter)(nil)
)

// New returns the adapter over d. Store, Contracts, Identity, Clock,
// SignCheckpoint, PairingProof and BindRecord are required; a nil Log
// discards.
func New(d Deps) *Adapter {
	if d.Log == nil {
		d.Log = slog.New(slog.DiscardHandler)
	}
	return &Adapter{d: d}
}

func (s *Adapter) synced(id contract.ID, seq uint64) {
	if s.d.Synced != nil {
		s.d.Synced(id, seq)
	}
}

func (s *Adapter) contractsChanged() {
	if s.d.ContractsChanged != nil {
		s.d.ContractsChanged()
	}
}

func (s *Adapter) diaryChanged() {
	if s.d.DiaryChanged != nil {
		s.d.DiaryChanged()
	}
}

// unavailable turns a full or read-only disk, or a write that kept losing
// its race with another round of the same contract, into a refusal that
// tells the contractor to try later, without this machine's paths or OS
// errors, which go to the log instead.
func unavailable(l *slog.Logger, err error) error {
	if store.IsConflict(err) {
		return fmt.Errorf("%w: another sync of this contract was writing the same records; the next sync tries again", syncp2p.ErrUnavailable)
	}
	if !store.IsDiskProblem(err) {
		return err
	}
	l.Error("sync: cannot store", "err", err)
	what := "full"
	if errors.Is(err, store.ErrReadOnly) {
		what = "read-only"
	}
	return fmt.Errorf("%w: the employer's disk is %s; the next sync tries again", syncp2p.ErrUnavailable, what)
}

// NoteKey is the key that verifies a party's signature on checkpoint
// notes: named by its peer ID.
func NoteKey(pub ed25519.PublicKey) ledger.NoteKey { return syncp2p.NoteKey(pub) }
