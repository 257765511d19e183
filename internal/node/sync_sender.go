package node

import (
	"crypto/ed25519"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// syncSide implements syncp2p.Sender and syncp2p.Receiver over the node's
// store: the contractor's own logs and the employer's received copies.
type syncSide struct{ n *Node }

// ownLog is the log this installation writes as contractor of c.
func (s syncSide) ownLog(id [32]byte, employer peer.ID) (*contract.Contract, [32]byte, error) {
	c, err := s.n.Contracts().Get(contract.ID(id))
	if err != nil {
		return nil, [32]byte{}, fmt.Errorf("%w: %v", syncp2p.ErrUnknown, err)
	}
	if c.Role != contract.RoleContractor || (employer != "" && c.Offer.EmployerPeerID() != employer) {
		return nil, [32]byte{}, fmt.Errorf("%w: %s", syncp2p.ErrNotParty, employer)
	}
	me, err := s.n.Identity()
	if err != nil {
		return nil, [32]byte{}, err
	}
	return c, ledger.LogID(id, me.PublicKey()), nil
}

func (s syncSide) SenderHead(id [32]byte, employer peer.ID) (ledger.Head, error) {
	_, logID, err := s.ownLog(id, employer)
	if err != nil {
		return ledger.Head{}, err
	}
	var h ledger.Head
	err = s.n.store.View(func(x *store.Txn) error { h, err = logdb.Head(x, logID); return err })
	return h, err
}

func (s syncSide) Entries(id [32]byte, from, to uint64) ([][]byte, error) {
	_, logID, err := s.ownLog(id, "")
	if err != nil {
		return nil, err
	}
	var out [][]byte
	err = s.n.store.View(func(x *store.Txn) error { out, err = logdb.Entries(x, logID, from, to); return err })
	return out, err
}

// Blob sends only images that an approved entry commits to, and none of
// an entry the contract's terms refuse (a sharp screenshot under a
// contract that requires blur, a webcam photo it does not allow), which
// the employer never asks for.
func (s syncSide) Blob(id [32]byte, hash [32]byte) ([]byte, error) {
	c, logID, err := s.ownLog(id, "")
	if err != nil {
		return nil, err
	}
	var entry []byte
	var ok bool
	_ = s.n.store.View(func(x *store.Txn) error { entry, ok = logdb.ImageEntry(x, logID, hash); return nil })
	if !ok {
		return nil, fmt.Errorf("%w: image %x is in no approved entry", syncp2p.ErrNotFound, hash[:6])
	}
	rules, err := s.n.entryRules(c)
	if err != nil {
		return nil, err
	}
	if e, err := ledger.ReadOwnEntry(entry); err != nil || rules.Check(e) != nil {
		return nil, fmt.Errorf("%w: image %x belongs to an entry the contract's terms refuse", syncp2p.ErrNotFound, hash[:6])
	}
	b, err := s.n.store.Blobs.Get(store.Hash(hash))
	if err != nil {
		return nil, fmt.Errorf("%w: image %x: %v", syncp2p.ErrNotFound, hash[:6], err)
	}
	return b, nil
}

func (s syncSide) Checkpoint(id [32]byte) ([]byte, error) {
	c, logID, err := s.ownLog(id, "")
	if err != nil {
		return nil, err
	}
	st, err := s.n.signCheckpoint(c, logID)
	return []byte(st.Checkpoint), err
}

// Acked marks the segments whose entries the employer holds as synced.
func (s syncSide) Acked(id [32]byte, seq uint64) error {
	cid := contract.ID(id).String()
	db := diarydb.New(s.n.store)
	segs, err := db.Range(cid, diary.SlotStart(s.n.Clock.Now()).AddDate(-5, 0, 0), s.n.Clock.Now().AddDate(0, 0, 1))
	if err != nil {
		return err
	}
	err = s.n.store.Update(func(x *store.Txn) error {
		for _, seg := range segs {
			if seg.State == diary.Approved && seg.Entry <= seq {
				seg.State = diary.Synced
				if err := diarydb.PutTxn(x, seg); err != nil {
					return err
				}
			}
		}
		return nil
	})
	s.n.noteSync(id, seq, nil)
	return err
}

// Receipt keeps the employer's cosigned checkpoint when it cosigns exactly
// the note sent (ledger.OpenReceipt): every receipt is kept, by size, and
// the newest stays the one shown and bundled. An older or foreign receipt
// is refused and changes nothing.
func (s syncSide) Receipt(id [32]byte, sent, cosigned []byte) error {
	c, logID, err := s.ownLog(id, "")
	if err != nil {
		return err
	}
	me, err := s.n.Identity()
	if err != nil {
		return err
	}
	cp, err := ledger.OpenReceipt(sent, cosigned, noteKey(me.PublicKey()), noteKey(c.Offer.EmployerKey))
	if err != nil {
		return fmt.Errorf("%w: %w", syncp2p.ErrCheckpoint, err)
	}
	return s.n.store.Update(func(x *store.Txn) error { return logdb.SaveReceipt(x, logID, cp.Size, cosigned) })
}

func (s syncSide) PendingAcceptance(id [32]byte) ([]byte, []byte, bool) {
	pend, err := s.n.Contracts().PendingAcceptances()
	if err != nil {
		return nil, nil, false
	}
	for _, p := range pend {
		if [32]byte(p.ContractID) == id {
			return p.Acceptance, s.n.pairingProof(contract.ID(id)), true
		}
	}
	return nil, nil, false
}

func (s syncSide) AcceptanceDelivered(id [32]byte) error {
	err := s.n.Contracts().MarkDelivered(contract.ID(id))
	s.n.announce(TopicContractsChanged, nil)
	return err
}

func noteKey(pub ed25519.PublicKey) ledger.NoteKey {
	return ledger.NoteKey{Name: identity.PeerIDOf(pub).String(), Public: pub}
}
