package syncp2p

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"testing"

	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// An employer that answers a checkpoint with another note than its
// cosignature of that checkpoint: an older receipt, a receipt of another
// log, a note cosigned by a stranger, the checkpoint back without a
// cosignature. The contractor refuses each (ErrCheckpoint) and keeps the
// receipt it had; an honest round then brings the new one.
func TestEmployerReturnsAnotherReceipt(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.chain.add(2)
	w.serve(w.chain.bytes())
	if err := w.push(); err != nil {
		t.Fatal(err)
	}
	_, old := w.con.snd.state(w.id)
	if old == nil {
		t.Fatal("no receipt after the first push")
	}
	other := newWorld(t, "tcp", defaultTerms())
	other.chain.add(1)
	other.serve(other.chain.bytes())
	if err := other.push(); err != nil {
		t.Fatal(err)
	}
	_, foreign := other.con.snd.state(other.id)
	_, stranger, _ := ed25519.GenerateKey(rand.Reader)

	w.chain.add(2)
	w.serve(w.chain.bytes())
	cases := []struct {
		name    string
		receipt func(honest []byte) []byte
	}{
		{"the receipt of the previous round", func([]byte) []byte { return old }},
		{"a receipt of another contract's log", func([]byte) []byte { return foreign }},
		{"cosigned by a stranger", func(honest []byte) []byte {
			sent := honest[:bytes.LastIndex(honest[:len(honest)-1], []byte("\n"))+1]
			n, err := ledger.Cosign(sent, stranger, identity.PeerIDOf(stranger.Public().(ed25519.PublicKey)).String())
			if err != nil {
				t.Fatal(err)
			}
			return n
		}},
		{"the checkpoint back, not cosigned", func(honest []byte) []byte {
			return honest[:bytes.LastIndex(honest[:len(honest)-1], []byte("\n"))+1]
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			w.emp.rcv.receipt = c.receipt
			err := w.push()
			if !errors.Is(err, ErrCheckpoint) || !errors.Is(err, ledger.ErrNotReceipt) {
				t.Fatalf("push: %v; want ErrCheckpoint and ErrNotReceipt", err)
			}
			if _, kept := w.con.snd.state(w.id); !bytes.Equal(kept, old) {
				t.Fatalf("the contractor now keeps\n%s\nwant the previous receipt\n%s", kept, old)
			}
		})
	}
	w.emp.rcv.receipt = nil
	if err := w.push(); err != nil {
		t.Fatal(err)
	}
	_, got := w.con.snd.state(w.id)
	if cp, err := ledger.PeekCheckpoint(got); err != nil || cp.Size != 4 {
		t.Fatalf("after an honest round the receipt is %v (%v), want size 4", cp, err)
	}
}
