package syncp2ptest

import (
	"bytes"
	"crypto/ed25519"
	"crypto/sha256"
	"errors"
	"testing"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// ReceiverSetup is an employer's store with one accepted contract whose
// copy of the contractor's log is still empty.
type ReceiverSetup struct {
	Receiver   syncp2p.Receiver
	Contract   contract.ID
	Contractor ed25519.PrivateKey // signs the log
	Employer   ed25519.PublicKey  // the store's own key, which cosigns
}

// RunReceiver checks what every syncp2p.Receiver must do, on a fresh
// setup from open for each check.
func RunReceiver(t *testing.T, open func(t *testing.T) ReceiverSetup) {
	t.Run("Parties", func(t *testing.T) {
		s := open(t)
		stranger := identity.PeerIDOf(newKey(t).Public().(ed25519.PublicKey))
		other := sha256.Sum256([]byte("a contract nobody made"))
		if _, err := s.Receiver.Terms(s.Contract, stranger); !errors.Is(err, syncp2p.ErrNotParty) {
			t.Errorf("Terms for a stranger: %v, want ErrNotParty", err)
		}
		for what, err := range map[string]error{
			"Terms":       func() error { _, err := s.Receiver.Terms(other, stranger); return err }(),
			"Head":        func() error { _, err := s.Receiver.Head(other); return err }(),
			"Refusals":    func() error { _, err := s.Receiver.Refusals(other); return err }(),
			"Cosign":      func() error { _, err := s.Receiver.Cosign(other, nil); return err }(),
			"WithHistory": s.Receiver.WithHistory(other, func(ledger.History) error { return nil }),
		} {
			if !errors.Is(err, syncp2p.ErrUnknown) {
				t.Errorf("%s of an unknown contract: %v, want ErrUnknown", what, err)
			}
		}
		pub := s.Contractor.Public().(ed25519.PublicKey)
		terms, err := s.Receiver.Terms(s.Contract, identity.PeerIDOf(pub))
		if err != nil || !terms.Contractor.Equal(pub) {
			t.Errorf("Terms for the contractor: %x, %v; want its key", terms.Contractor, err)
		}
	})
	t.Run("EmptyCopy", func(t *testing.T) {
		s := open(t)
		if h, err := s.Receiver.Head(s.Contract); err != nil || h != (ledger.Head{}) {
			t.Errorf("Head of an empty copy: %v, %v; want the zero head", h, err)
		}
		if rs, err := s.Receiver.Refusals(s.Contract); err != nil || len(rs) != 0 {
			t.Errorf("Refusals of an empty copy: %v, %v; want none", rs, err)
		}
	})
	t.Run("Commit", func(t *testing.T) {
		s := open(t)
		c := NewChain(t, s.Contractor, s.Contract)
		batch := c.Add(3)
		refused := []syncp2p.Refusal{{Seq: 2, Reason: "breaks a term"}}
		// The refused entry's image is never fetched, so never staged.
		commit(t, s.Receiver, s.Contract, ledger.Head{}, batch, refused, c.imagesOf([]ledger.Signed{batch[0], batch[2]}))
		if h, err := s.Receiver.Head(s.Contract); err != nil || h != batch[2].Head() {
			t.Errorf("Head after the commit: %v, %v; want %v", h, err, batch[2].Head())
		}
		for i, e := range batch {
			img := e.Entry.Images[0].SHA256
			if got, want := s.Receiver.HasBlob(img), i != 1; got != want {
				t.Errorf("HasBlob of entry %d's image: %v, want %v", i+1, got, want)
			}
		}
		if rs, err := s.Receiver.Refusals(s.Contract); err != nil || len(rs) != 1 || rs[0] != refused[0] {
			t.Errorf("Refusals: %v, %v; want %v", rs, err, refused)
		}
		err := s.Receiver.WithHistory(s.Contract, func(h ledger.History) error {
			if sum, ok := h.Entry(3); !ok || sum.Seq != 3 {
				t.Errorf("history's entry 3: %+v, %v", sum, ok)
			}
			if seq, ok := h.LiveAt(batch[0].Entry.Start); !ok || seq != 1 {
				t.Errorf("history's live entry at the first start: %d, %v; want 1", seq, ok)
			}
			return nil
		})
		if err != nil {
			t.Error(err)
		}
	})
	t.Run("CommitAfterTheHeadMoved", func(t *testing.T) {
		// Two rounds of the same log race: the one that commits second
		// finds the copy past the head it verified against. Nothing is
		// wrong with either copy; the next round continues. So the store
		// says ErrUnavailable (try later), never ErrDiverged (history
		// rewritten), and keeps nothing of the losing batch.
		s := open(t)
		c := NewChain(t, s.Contractor, s.Contract)
		first := c.Add(2)
		commit(t, s.Receiver, s.Contract, ledger.Head{}, first, nil, c.imagesOf(first))
		late := c.Add(1)
		stage := stageAll(t, s.Receiver, c.imagesOf(late))
		err := s.Receiver.Commit(s.Contract, first[0].Head(), late, nil, stage)
		stage.Discard()
		if !errors.Is(err, syncp2p.ErrUnavailable) || errors.Is(err, syncp2p.ErrDiverged) {
			t.Errorf("Commit from a head the copy has passed: %v, want ErrUnavailable (and not ErrDiverged)", err)
		}
		if h, _ := s.Receiver.Head(s.Contract); h != first[1].Head() {
			t.Errorf("Head after the failed commit: %v, want %v", h, first[1].Head())
		}
		if s.Receiver.HasBlob(late[0].Entry.Images[0].SHA256) {
			t.Error("the failed commit's image stayed")
		}
		// The round that follows continues from the new head.
		commit(t, s.Receiver, s.Contract, first[1].Head(), late, nil, c.imagesOf(late))
	})
	t.Run("PreparedCommit", func(t *testing.T) {
		// A commit built while the images arrive (CommitPreparer) is
		// the same commit, and a race lost meanwhile ends as above.
		s := open(t)
		p, ok := s.Receiver.(syncp2p.CommitPreparer)
		if !ok {
			t.Skip("the receiver does not prepare commits")
		}
		c := NewChain(t, s.Contractor, s.Contract)
		first := c.Add(2)
		stage := s.Receiver.StageImages()
		p.PrepareCommit(s.Contract, ledger.Head{}, first, nil, stage)
		for h, b := range c.imagesOf(first) {
			if got, err := stage.Add(bytes.Clone(b)); err != nil || got != h {
				t.Fatalf("stage image %x: %x, %v", h[:6], got, err)
			}
		}
		if h, _ := s.Receiver.Head(s.Contract); h != (ledger.Head{}) {
			t.Errorf("Head before the prepared commit: %v, want the zero head", h)
		}
		if err := s.Receiver.Commit(s.Contract, ledger.Head{}, first, nil, stage); err != nil {
			t.Fatalf("the prepared commit: %v", err)
		}
		stage.Discard()
		if h, _ := s.Receiver.Head(s.Contract); h != first[1].Head() {
			t.Errorf("Head after the prepared commit: %v, want %v", h, first[1].Head())
		}

		// Two rounds send the same batch; the one prepared first commits
		// second.
		late := c.Add(1)
		loser := stageAll(t, s.Receiver, c.imagesOf(late))
		p.PrepareCommit(s.Contract, first[1].Head(), late, nil, loser)
		commit(t, s.Receiver, s.Contract, first[1].Head(), late, nil, c.imagesOf(late))
		err := s.Receiver.Commit(s.Contract, first[1].Head(), late, nil, loser)
		loser.Discard()
		if !errors.Is(err, syncp2p.ErrUnavailable) {
			t.Errorf("the prepared commit of a batch another round committed: %v, want ErrUnavailable", err)
		}
		if h, _ := s.Receiver.Head(s.Contract); h != late[0].Head() {
			t.Errorf("Head after the race: %v, want %v", h, late[0].Head())
		}
		if !s.Receiver.HasBlob(late[0].Entry.Images[0].SHA256) {
			t.Error("the losing commit removed the winner's image")
		}

		// A prepared commit discarded with its stage leaves nothing.
		dropped := c.Add(1)
		stage = stageAll(t, s.Receiver, c.imagesOf(dropped))
		p.PrepareCommit(s.Contract, late[0].Head(), dropped, nil, stage)
		stage.Discard()
		if h, _ := s.Receiver.Head(s.Contract); h != late[0].Head() {
			t.Errorf("Head after a discarded prepared commit: %v, want %v", h, late[0].Head())
		}
		if s.Receiver.HasBlob(dropped[0].Entry.Images[0].SHA256) {
			t.Error("a discarded prepared commit's image is stored")
		}
	})
	t.Run("Cosign", func(t *testing.T) {
		s := open(t)
		c := NewChain(t, s.Contractor, s.Contract)
		batch := c.Add(2)
		commit(t, s.Receiver, s.Contract, ledger.Head{}, batch, nil, c.imagesOf(batch))
		sent := c.Checkpoint(2)
		cosigned, err := s.Receiver.Cosign(s.Contract, sent)
		if err != nil {
			t.Fatalf("Cosign of the copy's own checkpoint: %v", err)
		}
		if cp, err := ledger.OpenReceipt(sent, cosigned, noteKey(s.Contractor.Public().(ed25519.PublicKey)), noteKey(s.Employer)); err != nil || cp.Size != 2 {
			t.Errorf("the receipt: size %d, %v; want the cosigned note of 2 entries", cp.Size, err)
		}
		c.Add(1)
		if _, err := s.Receiver.Cosign(s.Contract, c.Checkpoint(3)); !errors.Is(err, syncp2p.ErrCheckpoint) {
			t.Errorf("Cosign of a note past the copy: %v, want ErrCheckpoint", err)
		}
		forged := NewChain(t, newKey(t), s.Contract)
		forged.Add(2)
		if _, err := s.Receiver.Cosign(s.Contract, forged.Checkpoint(2)); !errors.Is(err, syncp2p.ErrCheckpoint) {
			t.Errorf("Cosign of a stranger's note: %v, want ErrCheckpoint", err)
		}
	})
	t.Run("StageDiscard", func(t *testing.T) {
		s := open(t)
		img := []byte("an image nobody committed")
		stage := s.Receiver.StageImages()
		h, err := stage.Add(img)
		if err != nil || h != sha256.Sum256(img) {
			t.Fatalf("Add: %x, %v; want the image's SHA-256", h, err)
		}
		stage.Discard()
		stage.Discard()
		if s.Receiver.HasBlob(h) {
			t.Error("a discarded image is stored")
		}
	})
	t.Run("RecordAcceptance", func(t *testing.T) {
		s := open(t)
		_, err := s.Receiver.RecordAcceptance([]byte("not an acceptance"), nil, identity.PeerIDOf(s.Contractor.Public().(ed25519.PublicKey)))
		if !errors.Is(err, syncp2p.ErrMalformed) {
			t.Errorf("RecordAcceptance of garbage: %v, want ErrMalformed", err)
		}
	})
}

// stageAll stages images as the image protocol does for one batch.
func stageAll(t *testing.T, r syncp2p.Receiver, images map[ledger.ImageHash][]byte) syncp2p.ImageStage {
	t.Helper()
	stage := r.StageImages()
	for h, b := range images {
		got, err := stage.Add(bytes.Clone(b))
		if err != nil || got != h {
			t.Fatalf("stage image %x: %x, %v", h[:6], got, err)
		}
	}
	return stage
}

// commit stages images and commits entries after from, or fails t.
func commit(t *testing.T, r syncp2p.Receiver, id contract.ID, from ledger.Head, entries []ledger.Signed, refused []syncp2p.Refusal, images map[ledger.ImageHash][]byte) {
	t.Helper()
	stage := stageAll(t, r, images)
	defer stage.Discard()
	if err := r.Commit(id, from, entries, refused, stage); err != nil {
		t.Fatalf("Commit after %v: %v", from, err)
	}
}
