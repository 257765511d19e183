package syncp2ptest

import (
	"crypto/ed25519"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// Base is when the suite's entries start: segments of ten minutes from
// here, long past by any clock the suite runs under.
var Base = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)

// Chain signs the entries of one contract's log as its contractor does at
// approval: one auto segment after the other, each with one screenshot.
type Chain struct {
	t      testing.TB
	key    ed25519.PrivateKey
	id     contract.ID
	log    *ledger.Log
	Signed []ledger.Signed
	// Images are the bytes of every image the entries commit to.
	Images map[ledger.ImageHash][]byte
}

// NewChain starts an empty log of contract id signed by key.
func NewChain(t testing.TB, key ed25519.PrivateKey, id contract.ID) *Chain {
	t.Helper()
	l, err := ledger.NewLog(key, id, ledger.Head{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &Chain{t: t, key: key, id: id, log: l, Images: map[ledger.ImageHash][]byte{}}
}

// Add signs n more entries and returns them.
func (c *Chain) Add(n int) []ledger.Signed {
	c.t.Helper()
	var out []ledger.Signed
	for range n {
		i := len(c.Signed)
		start := Base.Add(time.Duration(i) * 10 * time.Minute).Unix()
		img := []byte{0xff, 0xd8, byte(i), byte(i >> 8), 0xff, 0xd9}
		h := sha256.Sum256(img)
		s, err := c.log.Append(ledger.Entry{Start: start, Kind: ledger.KindAuto, ApprovedAt: start + 600,
			Minutes: []ledger.Minute{{Index: 0, Keys: 3}},
			Images: []ledger.Image{{Role: ledger.RoleScreenshot, SHA256: h, Size: uint64(len(img)),
				TakenAt: start + 60, Width: 1, Height: 1}}})
		if err != nil {
			c.t.Fatal(err)
		}
		c.Images[h] = img
		c.Signed = append(c.Signed, s)
		out = append(out, s)
	}
	return out
}

// Bytes are the signed bytes of the first n entries.
func (c *Chain) Bytes(n int) [][]byte {
	var out [][]byte
	for _, s := range c.Signed[:n] {
		out = append(out, s.Bytes)
	}
	return out
}

// Checkpoint is the contractor's signed note of the first n entries.
func (c *Chain) Checkpoint(n int) []byte {
	c.t.Helper()
	pub := c.key.Public().(ed25519.PublicKey)
	note, err := ledger.SignCheckpoint(c.key, identity.PeerIDOf(pub).String(), ledger.CheckpointFor(ledger.LogIDOf(c.id, pub), c.Bytes(n)))
	if err != nil {
		c.t.Fatal(err)
	}
	return note
}

// imagesOf are the images entries commit to, by hash.
func (c *Chain) imagesOf(entries []ledger.Signed) map[ledger.ImageHash][]byte {
	out := map[ledger.ImageHash][]byte{}
	for _, s := range entries {
		for _, img := range s.Entry.Images {
			out[img.SHA256] = c.Images[img.SHA256]
		}
	}
	return out
}

func noteKey(pub ed25519.PublicKey) ledger.NoteKey {
	return ledger.NoteKey{Name: identity.PeerIDOf(pub).String(), Public: pub}
}

// newKey is a fresh key: a stranger to every contract.
func newKey(t testing.TB) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
