package main

import (
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
	id, err := identity.Load(home)
	if err != nil {
		return nil, fmt.Errorf("party folder %s: %w", home, err)
	}
	st, err := store.Open(home)
	if err != nil {
		return nil, fmt.Errorf("party folder (is a workdiary process using it?): %w", err)
	}
	defer st.Close()
	c, err := contractWith(contract.NewRegistry(st), employer)
	if err != nil {
		return nil, err
	}
	p := &party{id: id, contract: c, logID: ledger.LogIDOf(c.ID(), id.PublicKey())}
	var raw [][]byte
	err = st.View(func(x *store.Txn) error {
		head, err := logdb.Head(x, p.logID)
		if err != nil {
			return err
		}
		raw, err = logdb.Entries(x, p.logID, 1, head.Seq)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("read the party's log: %w", err)
	}
	for _, b := range raw {
		s, err := ledger.VerifyEntry(b, id.PublicKey())
		if err != nil {
			return nil, fmt.Errorf("the party's own log does not verify: %w", err)
		}
		p.log = append(p.log, s)
	}
	if len(p.log) == 0 {
		return nil, errors.New("the party's log is empty: the replay and overlap attacks need entries the target already holds (approve and sync some time from the party folder first)")
	}
	return p, nil
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
