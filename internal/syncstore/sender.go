package syncstore

import (
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// ownLog is the log this installation writes as contractor of c.
func (s *Adapter) ownLog(id contract.ID, employer peer.ID) (*contract.Contract, ledger.LogID, error) {
	c, err := s.d.Contracts.Get(id)
	if err != nil {
		return nil, ledger.LogID{}, fmt.Errorf("%w: %v", syncp2p.ErrUnknown, err)
	}
	if c.Role != contract.RoleContractor || (employer != "" && c.Offer.EmployerPeerID() != employer) {
		return nil, ledger.LogID{}, fmt.Errorf("%w: %s", syncp2p.ErrNotParty, employer)
	}
	me, err := s.d.Identity()
	if err != nil {
		return nil, ledger.LogID{}, err
	}
	return c, ledger.LogIDOf(id, me.PublicKey()), nil
}

func (s *Adapter) SenderHead(id contract.ID, employer peer.ID) (ledger.Head, error) {
	_, logID, err := s.ownLog(id, employer)
	if err != nil {
		return ledger.Head{}, err
	}
	var h ledger.Head
	err = s.d.Store.View(func(x *store.Txn) error { h, err = logdb.Head(x, logID); return err })
	return h, err
}

func (s *Adapter) Entries(id contract.ID, from, to uint64) ([][]byte, error) {
	_, logID, err := s.ownLog(id, "")
	if err != nil {
		return nil, err
	}
	var out [][]byte
	err = s.d.Store.View(func(x *store.Txn) error { out, err = logdb.Entries(x, logID, from, to); return err })
	if err == nil && (from < 1 || uint64(len(out)) != to+1-from) {
		return nil, fmt.Errorf("%w: entries %d..%d are not all in the log", syncp2p.ErrNotFound, from, to)
	}
	return out, err
}

// Blob sends only images that an approved entry commits to, and none of
// an entry the contract's terms refuse (a sharp screenshot under a
// contract that requires blur, a webcam photo it does not allow), which
// the employer never asks for.
func (s *Adapter) Blob(id contract.ID, hash ledger.ImageHash) ([]byte, error) {
	read, err := s.BlobsOf(id)
	if err != nil {
		return nil, err
	}
	return read(hash, nil, nil)
}

// BlobsOf is Blob for the images of one contract, each read into buf when
// it fits (syncp2p.BlobReader): the contract, its log and its rules are
// looked up once, for a blob stream's requests.
func (s *Adapter) BlobsOf(id contract.ID) (syncp2p.ReadBlobInto, error) {
	c, logID, err := s.ownLog(id, "")
	if err != nil {
		return nil, err
	}
	// The offer's rules, not the lifecycle's: a pause or an end bound after
	// an entry does not refuse it (the employer took it under the rules
	// before them, docs/format.md §8.2) and it still needs its images.
	rules := c.Offer.EntryRules(nil)
	return func(hash ledger.ImageHash, of *ledger.Entry, buf []byte) ([]byte, error) {
		// The entry of the batch just sent that holds the image, read from
		// this log a moment ago, when the terms allow it; otherwise the
		// entry the log's index names (an image of an earlier batch, one
		// that entries share).
		if of == nil || !holds(of, hash) || rules.Check(*of) != nil {
			var entry []byte
			var ok bool
			_ = s.d.Store.View(func(x *store.Txn) error { entry, ok = logdb.ImageEntry(x, logID, hash); return nil })
			if !ok {
				return nil, fmt.Errorf("%w: image %x is in no approved entry", syncp2p.ErrNotFound, hash[:6])
			}
			if e, err := ledger.ReadOwnEntry(entry); err != nil || rules.Check(e) != nil {
				return nil, fmt.Errorf("%w: image %x belongs to an entry the contract's terms refuse", syncp2p.ErrNotFound, hash[:6])
			}
		}
		// Unchecked: the employer checks the bytes against the hash it
		// asked for, and refuses an image of the wrong bytes as a bad image.
		b, err := s.d.Store.Blobs.ReadInto(store.Hash(hash), buf)
		if err != nil {
			return nil, fmt.Errorf("%w: image %x: %v", syncp2p.ErrNotFound, hash[:6], err)
		}
		return b, nil
	}, nil
}

// holds tells whether e commits to image h.
func holds(e *ledger.Entry, h ledger.ImageHash) bool {
	for _, img := range e.Images {
		if img.SHA256 == h {
			return true
		}
	}
	return false
}

func (s *Adapter) Checkpoint(id contract.ID) ([]byte, error) {
	c, logID, err := s.ownLog(id, "")
	if err != nil {
		return nil, err
	}
	return s.d.SignCheckpoint(c, logID)
}

// Refused records the employer's refusals of entries of our own log, once
// each, and says them in the log.
func (s *Adapter) Refused(id contract.ID, refused []syncp2p.Refusal) error {
	_, logID, err := s.ownLog(id, "")
	if err != nil {
		return err
	}
	var added []syncp2p.Refusal
	err = s.d.Store.UpdateRetrying(func(x *store.Txn) error {
		added = added[:0]
		head, err := logdb.Head(x, logID)
		if err != nil {
			return err
		}
		for _, r := range refused {
			if r.Seq > head.Seq {
				continue // the decoder and the sender checked; not ours to record
			}
			ok, err := logdb.Refuse(x, logID, r.Seq, r.Reason)
			if err != nil {
				return err
			}
			if ok {
				added = append(added, r)
			}
		}
		return nil
	})
	for _, r := range added {
		s.d.Log.Warn(fmt.Sprintf("sync: the employer refused seq %d (kept in the log, counted for nothing); delete its segment to void it and add correct time", r.Seq),
			"contract", id.Short(), "seq", r.Seq, "reason", r.Reason)
	}
	if len(added) > 0 {
		s.diaryChanged()
	}
	return err
}

// Receipt keeps the employer's cosigned checkpoint when it cosigns exactly
// the note sent (ledger.OpenReceipt): every receipt is kept, by size, and
// the newest stays the one shown and bundled. An older or foreign receipt
// is refused and changes nothing.
func (s *Adapter) Receipt(id contract.ID, sent, cosigned []byte) error {
	c, logID, err := s.ownLog(id, "")
	if err != nil {
		return err
	}
	me, err := s.d.Identity()
	if err != nil {
		return err
	}
	cp, err := ledger.OpenReceipt(sent, cosigned, NoteKey(me.PublicKey()), NoteKey(c.Offer.EmployerKey))
	if err == nil && cp.LogID != logID {
		err = fmt.Errorf("the receipt is of another contract's log")
	}
	if err != nil {
		return fmt.Errorf("%w: %w", syncp2p.ErrCheckpoint, err)
	}
	return s.d.Store.UpdateRetrying(func(x *store.Txn) error { return logdb.SaveReceipt(x, logID, cp.Size, cosigned) })
}

func (s *Adapter) PendingAcceptance(id contract.ID) ([]byte, []byte, bool) {
	pend, err := s.d.Contracts.PendingAcceptances()
	if err != nil {
		return nil, nil, false
	}
	for _, p := range pend {
		if p.ContractID == id {
			return p.Acceptance, s.d.PairingProof(id), true
		}
	}
	return nil, nil, false
}

func (s *Adapter) AcceptanceDelivered(id contract.ID) error {
	err := s.d.Contracts.MarkDelivered(id)
	s.contractsChanged()
	return err
}
