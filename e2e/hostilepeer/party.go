package main

import (
	"crypto/ed25519"
	"errors"
	"fmt"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// party is what a real contractor's data folder gives the attacker: the
// key, the accepted contract with the target and the log written so far.
type party struct {
	id       *identity.Identity
	contract *contract.Contract
	logID    [32]byte
	log      []ledger.Signed // seq 1.. in order, as signed
}

// loadParty reads the folder and lets go of it again, so the folder's own
// commands can run once the attacks are over.
func loadParty(home string, employer peer.ID) (*party, error) {
	id, st, err := openFolder(home, "party")
	if err != nil {
		return nil, err
	}
	defer st.Close()
	c, err := contractWith(contract.NewRegistry(st), employer)
	if err != nil {
		return nil, err
	}
	p := &party{id: id, contract: c, logID: ledger.LogIDOf(c.ID(), id.PublicKey())}
	if p.log, err = readLog(st, p.logID, id.PublicKey()); err != nil {
		return nil, fmt.Errorf("the party's own log: %w", err)
	}
	if len(p.log) == 0 {
		return nil, errors.New("the party's log is empty: the replay and overlap attacks need entries the target already holds (approve and sync some time from the party folder first)")
	}
	return p, nil
}

// openFolder opens the identity and the store of the folder whose role
// (party, employer) the errors name; the caller closes the store.
func openFolder(home, role string) (*identity.Identity, *store.Store, error) {
	id, err := identity.Load(home)
	if err != nil {
		return nil, nil, fmt.Errorf("%s folder %s: %w", role, home, err)
	}
	st, err := store.Open(home)
	if err != nil {
		return nil, nil, fmt.Errorf("%s folder (is a workdiary process using it?): %w", role, err)
	}
	return id, st, nil
}

// contractWith finds the party's active contract with employer.
func contractWith(r *contract.Registry, employer peer.ID) (*contract.Contract, error) {
	all, err := r.List()
	if err != nil {
		return nil, fmt.Errorf("list the party's contracts: %w", err)
	}
	for _, c := range all {
		if c.Role == contract.RoleContractor && c.Acceptance != nil && c.Offer.EmployerPeerID() == employer {
			return c, nil
		}
	}
	return nil, fmt.Errorf("the party folder has no accepted contract with %s", employer)
}

// head is where the party's log stands.
func (p *party) head() ledger.Head {
	if len(p.log) == 0 {
		return ledger.Head{}
	}
	return p.log[len(p.log)-1].Head()
}

// bytes are the party's entries as signed.
func (p *party) bytes() [][]byte { return signedBytes(p.log) }

// contractID is the party's contract with the target.
func (p *party) contractID() [32]byte { return [32]byte(p.contract.ID()) }

// readLog is a log of the folder's store as signed by key, in order.
func readLog(st *store.Store, logID ledger.LogID, key ed25519.PublicKey) ([]ledger.Signed, error) {
	var raw [][]byte
	err := st.View(func(x *store.Txn) error {
		head, err := logdb.Head(x, logID)
		if err != nil {
			return err
		}
		raw, err = logdb.Entries(x, logID, 1, head.Seq)
		return err
	})
	if err != nil {
		return nil, err
	}
	log := make([]ledger.Signed, 0, len(raw))
	for _, b := range raw {
		s, err := ledger.VerifyEntry(b, key)
		if err != nil {
			return nil, fmt.Errorf("does not verify: %w", err)
		}
		log = append(log, s)
	}
	return log, nil
}
