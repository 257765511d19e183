package syncp2p_test

import (
	"crypto/ed25519"
	"crypto/sha256"
	"testing"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/syncp2p"
	"github.com/workdiary/workdiary/internal/syncp2p/syncp2ptest"
)

// The fakes the protocol tests run on keep the same contract as the real
// store (internal/syncstore runs the same suite).
func TestFakeSenderConformance(t *testing.T) {
	syncp2ptest.RunSender(t, func(t *testing.T) syncp2ptest.SenderSetup {
		key, emp := newKey(t), newKey(t)
		id := sha256.Sum256([]byte(t.Name()))
		snd, add, put := syncp2p.NewFakeSender(key, id, emp.Public().(ed25519.PublicKey))
		return syncp2ptest.SenderSetup{Sender: snd, Contract: id, Key: key, Employer: emp,
			Append:   func(_ *testing.T, e []ledger.Signed, images map[ledger.ImageHash][]byte) { add(e, images) },
			PutImage: func(_ *testing.T, b []byte) { put(b) }}
	})
}

func TestFakeReceiverConformance(t *testing.T) {
	syncp2ptest.RunReceiver(t, func(t *testing.T) syncp2ptest.ReceiverSetup {
		key, con := newKey(t), newKey(t)
		id := sha256.Sum256([]byte(t.Name()))
		rcv := syncp2p.NewFakeReceiver(key, id, con.Public().(ed25519.PublicKey))
		return syncp2ptest.ReceiverSetup{Receiver: rcv, Contract: id, Contractor: con, Employer: key.Public().(ed25519.PublicKey)}
	})
}

func newKey(t *testing.T) ed25519.PrivateKey {
	t.Helper()
	_, k, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
