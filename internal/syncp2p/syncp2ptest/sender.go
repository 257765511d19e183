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

// SenderSetup is a contractor's store with one contract whose log is
// still empty.
type SenderSetup struct {
	Sender   syncp2p.Sender
	Contract contract.ID
	Key      ed25519.PrivateKey // the contractor's, which signs the log
	Employer ed25519.PrivateKey // the contract's employer, who cosigns
	// Append keeps signed entries of the log (the next ones, in order) and
	// the images they commit to, as approval does.
	Append func(t *testing.T, entries []ledger.Signed, images map[ledger.ImageHash][]byte)
	// PutImage keeps an image that no entry commits to (not approved).
	PutImage func(t *testing.T, data []byte)
}

// RunSender checks what every syncp2p.Sender must do, on a fresh setup
// from open for each check.
func RunSender(t *testing.T, open func(t *testing.T) SenderSetup) {
	employerOf := func(s SenderSetup) ed25519.PublicKey { return s.Employer.Public().(ed25519.PublicKey) }
	t.Run("Parties", func(t *testing.T) {
		s := open(t)
		stranger := identity.PeerIDOf(newKey(t).Public().(ed25519.PublicKey))
		if _, err := s.Sender.SenderHead(s.Contract, stranger); !errors.Is(err, syncp2p.ErrNotParty) {
			t.Errorf("SenderHead for a stranger: %v, want ErrNotParty", err)
		}
		other := sha256.Sum256([]byte("a contract nobody made"))
		if _, err := s.Sender.SenderHead(other, identity.PeerIDOf(employerOf(s))); !errors.Is(err, syncp2p.ErrUnknown) {
			t.Errorf("SenderHead of an unknown contract: %v, want ErrUnknown", err)
		}
		if h, err := s.Sender.SenderHead(s.Contract, identity.PeerIDOf(employerOf(s))); err != nil || h != (ledger.Head{}) {
			t.Errorf("SenderHead of an empty log: %v, %v; want the zero head", h, err)
		}
	})
	t.Run("Entries", func(t *testing.T) {
		s := open(t)
		c := NewChain(t, s.Key, s.Contract)
		s.Append(t, c.Add(3), c.Images)
		if h, err := s.Sender.SenderHead(s.Contract, identity.PeerIDOf(employerOf(s))); err != nil || h != c.Signed[2].Head() {
			t.Errorf("SenderHead: %v, %v; want %v", h, err, c.Signed[2].Head())
		}
		got, err := s.Sender.Entries(s.Contract, 2, 3)
		if err != nil || len(got) != 2 || !bytes.Equal(got[0], c.Signed[1].Bytes) || !bytes.Equal(got[1], c.Signed[2].Bytes) {
			t.Errorf("Entries 2..3: %d entries, %v; want the signed bytes of seq 2 and 3", len(got), err)
		}
		if got, err := s.Sender.Entries(s.Contract, 1, 0); err != nil || len(got) != 0 {
			t.Errorf("Entries 1..0: %d entries, %v; want none", len(got), err)
		}
		if _, err := s.Sender.Entries(s.Contract, 2, 4); !errors.Is(err, syncp2p.ErrNotFound) {
			t.Errorf("Entries past the head: %v, want ErrNotFound", err)
		}
	})
	t.Run("Blob", func(t *testing.T) {
		s := open(t)
		c := NewChain(t, s.Key, s.Contract)
		s.Append(t, c.Add(1), c.Images)
		img := c.Signed[0].Entry.Images[0].SHA256
		if b, err := s.Sender.Blob(s.Contract, img); err != nil || !bytes.Equal(b, c.Images[img]) {
			t.Errorf("Blob of an approved entry's image: %d bytes, %v", len(b), err)
		}
		unapproved := []byte("a screenshot nobody approved")
		s.PutImage(t, unapproved)
		if _, err := s.Sender.Blob(s.Contract, sha256.Sum256(unapproved)); !errors.Is(err, syncp2p.ErrNotFound) {
			t.Errorf("Blob of an image no entry commits to: %v, want ErrNotFound", err)
		}
		if _, err := s.Sender.Blob(s.Contract, sha256.Sum256([]byte("nothing"))); !errors.Is(err, syncp2p.ErrNotFound) {
			t.Errorf("Blob of an unknown image: %v, want ErrNotFound", err)
		}
	})
	t.Run("CheckpointAndReceipt", func(t *testing.T) {
		s := open(t)
		pub := s.Key.Public().(ed25519.PublicKey)
		c := NewChain(t, s.Key, s.Contract)
		s.Append(t, c.Add(2), c.Images)
		sent, err := s.Sender.Checkpoint(s.Contract)
		if err != nil {
			t.Fatalf("Checkpoint: %v", err)
		}
		cp, _, err := ledger.OpenCheckpoint(sent, noteKey(pub))
		if err == nil {
			err = ledger.CheckCheckpoint(cp, ledger.LogIDOf(s.Contract, pub), c.Bytes(2))
		}
		if err != nil || cp.Size != 2 {
			t.Fatalf("the checkpoint: size %d, %v; want the contractor's note of the 2 entries", cp.Size, err)
		}
		cosign := func(key ed25519.PrivateKey, note []byte) []byte {
			b, err := ledger.Cosign(note, key, identity.PeerIDOf(key.Public().(ed25519.PublicKey)).String())
			if err != nil {
				t.Fatal(err)
			}
			return b
		}
		if err := s.Sender.Receipt(s.Contract, sent, cosign(newKey(t), sent)); !errors.Is(err, syncp2p.ErrCheckpoint) {
			t.Errorf("Receipt cosigned by a stranger: %v, want ErrCheckpoint", err)
		}
		older := c.Checkpoint(1)
		if err := s.Sender.Receipt(s.Contract, sent, cosign(s.Employer, older)); !errors.Is(err, syncp2p.ErrCheckpoint) {
			t.Errorf("Receipt of another note than the one sent: %v, want ErrCheckpoint", err)
		}
		if err := s.Sender.Receipt(s.Contract, sent, cosign(s.Employer, sent)); err != nil {
			t.Errorf("the employer's receipt of the note sent: %v", err)
		}
	})
	t.Run("AckedAndRefused", func(t *testing.T) {
		s := open(t)
		c := NewChain(t, s.Key, s.Contract)
		s.Append(t, c.Add(2), c.Images)
		if err := s.Sender.Acked(s.Contract, 2); err != nil {
			t.Errorf("Acked: %v", err)
		}
		refused := []syncp2p.Refusal{{Seq: 1, Reason: "breaks a term"}}
		for range 2 {
			if err := s.Sender.Refused(s.Contract, refused); err != nil {
				t.Errorf("Refused (told again each round): %v", err)
			}
		}
	})
}
