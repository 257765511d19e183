package syncstore_test

import (
	"testing"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p/syncp2ptest"
	"github.com/workdiary/workdiary/internal/syncstore"
)

// The real adapter, on real Badger stores, keeps the contract the
// protocol tests' fakes keep (syncp2ptest).
func TestSenderConformance(t *testing.T) {
	syncp2ptest.RunSender(t, func(t *testing.T) syncp2ptest.SenderSetup {
		p := newPair(t)
		con := p.con.store
		logID := ledger.LogIDOf(p.id, p.con.id.PublicKey())
		return syncp2ptest.SenderSetup{Sender: p.con.adapter, Contract: p.id, Key: p.con.id.PrivateKey(), Employer: p.emp.id.PrivateKey(),
			Append: func(t *testing.T, entries []ledger.Signed, images map[ledger.ImageHash][]byte) {
				for _, b := range images {
					if _, err := con.Blobs.Put(b); err != nil {
						t.Fatal(err)
					}
				}
				if err := con.Update(func(x *store.Txn) error { return logdb.Append(x, logID, entries) }); err != nil {
					t.Fatal(err)
				}
			},
			PutImage: func(t *testing.T, b []byte) {
				if _, err := con.Blobs.Put(b); err != nil {
					t.Fatal(err)
				}
			}}
	})
}

func TestReceiverConformance(t *testing.T) {
	syncp2ptest.RunReceiver(t, func(t *testing.T) syncp2ptest.ReceiverSetup {
		p := newPair(t)
		return syncp2ptest.ReceiverSetup{Receiver: p.emp.adapter, Contract: p.id, Contractor: p.con.id.PrivateKey(), Employer: p.emp.id.PublicKey()}
	})
}

// side is one installation: its store, identity and sync adapter.
type side struct {
	store   *store.Store
	dir     string
	clk     *clocktest.Fake
	id      *identity.Identity
	reg     *contract.Registry
	adapter *syncstore.Adapter
}

// pair is an employer and a contractor who accepted its offer.
type pair struct {
	emp, con side
	id       [32]byte
}

func newPair(t testing.TB) pair {
	t.Helper()
	clk := clocktest.New(syncp2ptest.Base) // the suite's entries fall in the contract
	p := pair{emp: newSide(t, clk, "Erin"), con: newSide(t, clk, "Ada")}
	terms := contract.DefaultTerms()
	terms.Title, terms.RateMinor, terms.Currency = "Parser", 3500, "USD"
	offer, err := p.emp.reg.Offer(terms, p.emp.id, nil, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	c, err := p.con.reg.AcceptOffline(offer.Invite(), p.con.id, nil, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.emp.reg.RecordAcceptance(c.Acceptance.Signed(), c.PairingProof(p.con.id.PeerID()), clk.Now()); err != nil {
		t.Fatal(err)
	}
	p.id = c.ID()
	return p
}

func newSide(t testing.TB, clk *clocktest.Fake, name string) side {
	t.Helper()
	dir := t.TempDir()
	id, err := identity.Create(t.TempDir(), name)
	if err != nil {
		t.Fatal(err)
	}
	return openSide(t, clk, dir, id)
}

// openSide opens the side's store in dir, with its adapter.
func openSide(t testing.TB, clk *clocktest.Fake, dir string, id *identity.Identity) side {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := side{store: st, dir: dir, clk: clk, id: id, reg: contract.NewRegistry(st)}
	s.adapter = syncstore.New(syncstore.Deps{Store: st, Contracts: s.reg, Clock: clk,
		Identity: func() (*identity.Identity, error) { return id, nil },
		SignCheckpoint: func(c *contract.Contract, logID ledger.LogID) ([]byte, error) {
			var note []byte
			err := st.View(func(x *store.Txn) error {
				cp, err := logdb.Checkpoint(x, logID)
				if err == nil {
					note, err = ledger.SignCheckpoint(id.PrivateKey(), id.PeerID().String(), cp)
				}
				return err
			})
			return note, err
		},
		PairingProof: func(cid contract.ID) []byte {
			c, err := s.reg.Get(cid)
			if err != nil {
				return nil
			}
			return c.PairingProof(id.PeerID())
		}})
	return s
}

// reopen closes the side's store and opens its folder again, as a
// relaunch of the app does.
func (s side) reopen(t testing.TB) side {
	t.Helper()
	if err := s.store.Close(); err != nil {
		t.Fatal(err)
	}
	return openSide(t, s.clk, s.dir, s.id)
}
