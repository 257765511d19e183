package syncstore

import (
	"cmp"
	"errors"
	"fmt"
	"log/slog"
	"slices"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// received is a contractor's log as this employer keeps it.
func (s *Adapter) received(id contract.ID, contractor peer.ID) (*contract.Contract, ledger.LogID, error) {
	c, err := s.d.Contracts.Get(id)
	if err != nil {
		return nil, ledger.LogID{}, fmt.Errorf("%w: %v", syncp2p.ErrUnknown, err)
	}
	if c.Role != contract.RoleEmployer || c.Acceptance == nil {
		return nil, ledger.LogID{}, fmt.Errorf("%w: this node has no accepted offer %s", syncp2p.ErrNotParty, id.Short())
	}
	key := c.Acceptance.Contractor.PublicKey
	if contractor != "" && identity.PeerIDOf(key) != contractor {
		return nil, ledger.LogID{}, fmt.Errorf("%w: %s is not the contractor of %s", syncp2p.ErrNotParty, contractor, id.Short())
	}
	return c, ledger.LogIDOf(id, key), nil
}

func (s *Adapter) Terms(id contract.ID, contractor peer.ID) (syncp2p.Terms, error) {
	c, _, err := s.received(id, contractor)
	if err != nil {
		return syncp2p.Terms{}, err
	}
	rules, err := EntryRules(s.d.Store, c)
	return syncp2p.Terms{Contractor: c.Acceptance.Contractor.PublicKey, EntryRules: rules, Life: c.Life}, err
}

func (s *Adapter) Head(id contract.ID) (ledger.Head, error) {
	_, logID, err := s.received(id, "")
	if err != nil {
		return ledger.Head{}, err
	}
	var h ledger.Head
	err = s.d.Store.View(func(x *store.Txn) error { h, err = logdb.Head(x, logID); return err })
	return h, err
}

func (s *Adapter) WithHistory(id contract.ID, fn func(ledger.History) error) error {
	_, logID, err := s.received(id, "")
	if err != nil {
		return err
	}
	return s.d.Store.View(func(x *store.Txn) error { return fn(logdb.NewHistory(x, logID)) })
}

func (s *Adapter) HasBlob(h ledger.ImageHash) bool { return s.d.Store.Blobs.Has(store.Hash(h)) }

// StageImages writes a batch's images aside in the blob folder.
func (s *Adapter) StageImages() syncp2p.ImageStage {
	return &stagedImages{Staging: s.d.Store.Blobs.NewStaging(), log: s.d.Log}
}

type stagedImages struct {
	*store.Staging
	log *slog.Logger
	// prepared is the batch's commit built while its images arrive
	// (PrepareCommit), for the entries after from.
	prepared *store.Prepared
	from     ledger.Head
	entries  int
}

func (i *stagedImages) Add(b []byte) (ledger.ImageHash, error) {
	h, err := i.Staging.Add(b)
	return ledger.ImageHash(h), unavailable(i.log, err)
}

// Discard drops the images not committed, and the commit prepared.
func (i *stagedImages) Discard() {
	i.Staging.Discard()
	i.prepared.Discard()
}

// PrepareCommit builds the transaction that Commit writes while the
// batch's images still arrive: for a week of entries that is several
// milliseconds of the round's end spent meanwhile instead. When it
// cannot (its error comes again from Commit, which builds it then), or
// another round commits first, Commit builds it afresh.
func (s *Adapter) PrepareCommit(id contract.ID, from ledger.Head, entries []ledger.Signed, refused []syncp2p.Refusal, images syncp2p.ImageStage) {
	staged, ok := images.(*stagedImages)
	if !ok || staged.prepared != nil {
		return
	}
	_, logID, err := s.received(id, "")
	if err != nil {
		return
	}
	if p, err := s.d.Store.Prepare(appendReceived(id, logID, from, entries, refused)); err == nil {
		staged.prepared, staged.from, staged.entries = p, from, len(entries)
	}
}

// Commit moves the staged images into place (durably), and writes the
// entries and the refusals among them in one transaction that also checks
// nobody moved the head (ErrUnavailable when somebody did: see
// syncp2p.Receiver), built meanwhile (or while the images arrived,
// PrepareCommit) and committed only once the images are in place; if
// either fails, the images it added are removed again.
func (s *Adapter) Commit(id contract.ID, from ledger.Head, entries []ledger.Signed, refused []syncp2p.Refusal, images syncp2p.ImageStage) error {
	_, logID, err := s.received(id, "")
	if err != nil {
		return err
	}
	staged, ok := images.(*stagedImages)
	if !ok {
		return fmt.Errorf("commit: images were not staged by this adapter")
	}
	// One commit at a time: a pull and a push of the same log can race
	// (the employer's loop and the contractor's sync), and the loser's
	// clean-up must not remove images the winner has just committed.
	s.commitMu.Lock()
	defer s.commitMu.Unlock()
	// The images reach the disk while the transaction is built (or
	// after it was), and the entries commit only once they have.
	var added []store.Hash
	storeImages := func() error {
		var err error
		if added, err = staged.Staging.Commit(); err != nil {
			return fmt.Errorf("store images: %w", err)
		}
		return nil
	}
	if p := staged.prepared; p != nil && staged.from == from && staged.entries == len(entries) {
		err = p.CommitAfter(storeImages)
	} else {
		err = s.d.Store.UpdateAfter(storeImages, appendReceived(id, logID, from, entries, refused))
	}
	if err != nil {
		for _, h := range added {
			_ = s.d.Store.Blobs.Delete(h)
		}
	} else if boundAny(entries) {
		s.contractsChanged()
	}
	return unavailable(s.d.Log, err)
}

// appendReceived is the write of a received batch: its entries after
// from, unless another round of the same log committed first, and the
// refusals among them.
func appendReceived(id contract.ID, logID ledger.LogID, from ledger.Head, entries []ledger.Signed, refused []syncp2p.Refusal) func(*store.Txn) error {
	return func(x *store.Txn) error {
		head, err := logdb.Head(x, logID)
		if err != nil {
			return err
		}
		if head != from {
			// Another round of the same log committed first: nothing is
			// wrong with either copy, and the next round continues.
			return fmt.Errorf("%w: another sync of this log committed first (now at seq %d); the next sync continues from there",
				syncp2p.ErrUnavailable, head.Seq)
		}
		if err := logdb.Append(x, logID, entries); err != nil {
			return err
		}
		for _, r := range refused {
			if _, err := logdb.Refuse(x, logID, r.Seq, r.Reason); err != nil {
				return err
			}
		}
		return bindReceived(x, id, entries, refused)
	}
}

// Refusals lists the copy's refused entries by seq.
func (s *Adapter) Refusals(id contract.ID) ([]syncp2p.Refusal, error) {
	_, logID, err := s.received(id, "")
	if err != nil {
		return nil, err
	}
	var reasons map[uint64]string
	err = s.d.Store.View(func(x *store.Txn) error { reasons, err = logdb.Refusals(x, logID); return err })
	if err != nil || len(reasons) == 0 {
		return nil, err
	}
	out := make([]syncp2p.Refusal, 0, len(reasons))
	for seq, why := range reasons {
		out = append(out, syncp2p.Refusal{Seq: seq, Reason: why})
	}
	slices.SortFunc(out, func(a, b syncp2p.Refusal) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

// Cosign checks the contractor's note against this copy (same size, same
// root) and adds the employer's signature: the receipt.
func (s *Adapter) Cosign(id contract.ID, note []byte) ([]byte, error) {
	c, logID, err := s.received(id, "")
	if err != nil {
		return nil, err
	}
	cp, _, err := ledger.OpenCheckpoint(note, NoteKey(c.Acceptance.Contractor.PublicKey))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", syncp2p.ErrCheckpoint, err)
	}
	var entries [][]byte
	err = s.d.Store.View(func(x *store.Txn) error {
		entries, err = logdb.Entries(x, logID, 1, cp.Size)
		return err
	})
	if err != nil {
		return nil, err
	}
	if err := ledger.CheckCheckpoint(cp, logID, entries); err != nil {
		return nil, fmt.Errorf("%w: %v", syncp2p.ErrCheckpoint, err)
	}
	me, err := s.d.Identity()
	if err != nil {
		return nil, err
	}
	cosigned, err := ledger.Cosign(note, me.PrivateKey(), me.PeerID().String())
	if err != nil {
		return nil, err
	}
	err = s.d.Store.UpdateRetrying(func(x *store.Txn) error { return logdb.SaveReceipt(x, logID, cp.Size, cosigned) })
	s.synced(id, cp.Size)
	return cosigned, unavailable(s.d.Log, err)
}

func (s *Adapter) RecordAcceptance(signed, proof []byte, from peer.ID) (contract.ID, error) {
	a, err := contract.DecodeAcceptance(signed)
	if err != nil {
		return contract.ID{}, fmt.Errorf("%w: %v", syncp2p.ErrMalformed, err)
	}
	if identity.PeerIDOf(a.Contractor.PublicKey) != from {
		return contract.ID{}, fmt.Errorf("%w: the acceptance is signed by another peer", syncp2p.ErrNotParty)
	}
	if _, err := s.d.Contracts.RecordAcceptance(signed, proof, s.d.Clock.Now()); err != nil {
		if errors.Is(err, contract.ErrNotFound) {
			return contract.ID{}, fmt.Errorf("%w: %v", syncp2p.ErrUnknown, err)
		}
		if store.IsDiskProblem(err) {
			return contract.ID{}, unavailable(s.d.Log, err)
		}
		return contract.ID{}, fmt.Errorf("%w: %v", syncp2p.ErrNotParty, err)
	}
	s.contractsChanged()
	return a.ContractID, nil
}
