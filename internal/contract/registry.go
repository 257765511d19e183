package contract

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/store"
)

// Keys, all under "contract/":
//
//	contract/c/<hex id>       the contract (storedWire)
//	contract/outbox/<hex id>  a signed acceptance the sync layer must deliver
//
// The hex ID in the key lets Resolve find a prefix with one key scan.
const (
	keyContracts = "contract/c/"
	keyOutbox    = "contract/outbox/"
)

// Registry is this installation's set of contracts, in the store.
type Registry struct {
	st *store.Store
}

// NewRegistry returns the registry kept in st.
func NewRegistry(st *store.Store) *Registry { return &Registry{st: st} }

// Offer signs a new offer as employer and saves it; the invite code is
// c.Invite().
func (r *Registry) Offer(terms Terms, employer *identity.Identity, addrs []string, now time.Time) (*Contract, error) {
	o, err := NewOffer(terms, employer, addrs, now)
	if err != nil {
		return nil, err
	}
	secret, err := newPairingSecret()
	if err != nil {
		return nil, err
	}
	c := &Contract{Offer: o, Role: RoleEmployer, State: StateOffered, secret: secret}
	if err := r.st.Update(func(x *store.Txn) error { return put(x, c) }); err != nil {
		return nil, fmt.Errorf("save offer: %w", err)
	}
	return c, nil
}

// AcceptOffline accepts the offer in code as me, stores the contract as
// accepted-pending-delivery and queues the signed acceptance for the sync
// layer. An online accept is this followed by delivery and MarkDelivered.
// Any problem with the code stores nothing.
func (r *Registry) AcceptOffline(code string, me *identity.Identity, addrs []string, now time.Time) (*Contract, error) {
	o, secret, err := decodeInviteSecret(code)
	if err != nil {
		return nil, err
	}
	a, err := Accept(o, me, addrs, now)
	if err != nil {
		return nil, err
	}
	c := &Contract{Offer: o, Role: RoleContractor, State: StateAcceptedPending, Acceptance: a, secret: secret}
	err = r.st.Update(func(x *store.Txn) error {
		if old, err := get(x, o.ID()); err == nil {
			return alreadyAccepted(old)
		} else if !errors.Is(err, ErrNotFound) {
			return err
		}
		if err := put(x, c); err != nil {
			return err
		}
		return x.Set([]byte(keyOutbox+o.ID().String()), a.signed)
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

func alreadyAccepted(old *Contract) error {
	if old.Role == RoleEmployer {
		return ErrOwnOffer
	}
	return fmt.Errorf("%w: you accepted %q on %s (contract %s)", ErrAlreadyAccepted,
		old.Offer.Title, old.Acceptance.AcceptedAt.Format("2006-01-02"), old.ID().Short())
}

// RecordAcceptance is the employer's side: it verifies a contractor's
// signed acceptance against the stored offer and makes the contract active.
// Receiving the same acceptance again is harmless; a second contractor
// accepting the same invite is refused (an offer is for one person).
//
// A new acceptance must come from the invite: proof is the contractor's
// PairingProof, checked against the secret kept with the offer (see
// pairing.go), and the offer must still be open: not withdrawn, not older
// than OfferValidity at now.
func (r *Registry) RecordAcceptance(signed, proof []byte, now time.Time) (*Contract, error) {
	a, err := DecodeAcceptance(signed)
	if err != nil {
		return nil, err
	}
	return r.change(a.ContractID, func(c *Contract) error {
		if c.Role != RoleEmployer {
			return fmt.Errorf("acceptance for contract %s: %w (this installation did not offer it)", c.ID().Short(), ErrNotEmployer)
		}
		if _, err := VerifyAcceptance(signed, c.Offer); err != nil {
			return err
		}
		switch {
		case c.Acceptance != nil && sameBytes(c.Acceptance.signed, a.signed):
			return nil
		case c.Acceptance != nil:
			return fmt.Errorf("%w by %s", ErrAlreadyAccepted, c.Acceptance.Contractor.Name)
		case c.State == StateEnded:
			return ErrEnded
		}
		if err := c.checkPairing(a.ContractorPeerID(), proof, now); err != nil {
			return err
		}
		c.Acceptance, c.State = a, StateActive
		return nil
	})
}

// Withdraw takes back an offer nobody has accepted yet: its invite can no
// longer be accepted.
func (r *Registry) Withdraw(id ID) (*Contract, error) {
	return r.change(id, func(c *Contract) error {
		switch {
		case c.Role != RoleEmployer:
			return fmt.Errorf("contract %s: %w (only the employer withdraws an offer)", c.ID().Short(), ErrNotEmployer)
		case c.State == StateWithdrawn:
			return nil
		case c.State != StateOffered:
			return fmt.Errorf("contract %s is %s: only an offer nobody has accepted can be withdrawn", c.ID().Short(), c.State)
		}
		c.State = StateWithdrawn
		return nil
	})
}

// Pending is a signed acceptance waiting to reach its employer.
type Pending struct {
	ContractID ID
	Offer      *Offer // EmployerPeerID and EmployerAddrs say where to send it
	Acceptance []byte
}

// PendingAcceptances lists the acceptances the sync layer still has to
// deliver, in contract ID order.
func (r *Registry) PendingAcceptances() ([]Pending, error) {
	var out []Pending
	err := r.st.View(func(x *store.Txn) error {
		return x.Scan([]byte(keyOutbox), nil, func(k, v []byte) (bool, error) {
			id, err := ParseID(strings.TrimPrefix(string(k), keyOutbox))
			if err != nil {
				return false, fmt.Errorf("outbox key %q: %w", k, err)
			}
			c, err := get(x, id)
			if err != nil {
				return false, err
			}
			out = append(out, Pending{ContractID: id, Offer: c.Offer, Acceptance: append([]byte(nil), v...)})
			return true, nil
		})
	})
	return out, err
}

// MarkDelivered removes id's acceptance from the outbox once the employer
// has confirmed it, and makes the contract active. Repeating it is harmless.
func (r *Registry) MarkDelivered(id ID) error {
	return r.st.Update(func(x *store.Txn) error {
		c, err := get(x, id)
		if err != nil {
			return err
		}
		if c.State == StateAcceptedPending {
			c.State = StateActive
			if err := put(x, c); err != nil {
				return err
			}
		}
		return x.Delete([]byte(keyOutbox + id.String()))
	})
}

// change loads id, applies fn and saves the result in one transaction.
func (r *Registry) change(id ID, fn func(*Contract) error) (*Contract, error) {
	var c *Contract
	err := r.st.Update(func(x *store.Txn) error {
		var err error
		c, err = changeIn(x, id, fn)
		return err
	})
	if err != nil {
		return nil, err
	}
	return c, nil
}

// changeIn is change inside the caller's transaction.
func changeIn(x *store.Txn, id ID, fn func(*Contract) error) (*Contract, error) {
	c, err := get(x, id)
	if err != nil {
		return nil, err
	}
	if err := fn(c); err != nil {
		return nil, err
	}
	return c, put(x, c)
}

// Get returns the contract with this ID, or ErrNotFound.
func (r *Registry) Get(id ID) (*Contract, error) {
	var c *Contract
	err := r.st.View(func(x *store.Txn) error {
		var err error
		c, err = get(x, id)
		return err
	})
	return c, err
}

// List returns every contract, oldest offer first.
func (r *Registry) List() ([]*Contract, error) {
	all, err := r.scan("")
	if err != nil {
		return nil, err
	}
	sort.Slice(all, func(i, j int) bool {
		a, b := all[i].Offer, all[j].Offer
		if !a.CreatedAt.Equal(b.CreatedAt) {
			return a.CreatedAt.Before(b.CreatedAt)
		}
		return a.ID().String() < b.ID().String()
	})
	return all, nil
}

// Resolve finds the one contract whose ID starts with s (at least 4 hex
// characters, or the full ID), as typed after --contract.
func (r *Registry) Resolve(s string) (*Contract, error) {
	p, err := ParseIDPrefix(s)
	if err != nil {
		return nil, err
	}
	found, err := r.scan(p)
	if err != nil {
		return nil, err
	}
	switch len(found) {
	case 0:
		return nil, fmt.Errorf("%w: no contract ID starts with %q", ErrNotFound, p)
	case 1:
		return found[0], nil
	}
	return nil, fmt.Errorf("%w: %q matches %d contracts; give more characters of the ID", ErrAmbiguous, p, len(found))
}

func (r *Registry) scan(hexPrefix string) ([]*Contract, error) {
	var out []*Contract
	err := r.st.View(func(x *store.Txn) error {
		return x.Scan([]byte(keyContracts+hexPrefix), nil, func(k, v []byte) (bool, error) {
			c, err := decodeStored(string(k), v)
			if err != nil {
				return false, err
			}
			out = append(out, c)
			return true, nil
		})
	})
	return out, err
}

func get(x *store.Txn, id ID) (*Contract, error) {
	key := keyContracts + id.String()
	v, err := x.Get([]byte(key))
	if errors.Is(err, store.ErrNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, id.Short())
	}
	if err != nil {
		return nil, err
	}
	return decodeStored(key, v)
}

func decodeStored(key string, v []byte) (*Contract, error) {
	k := storedKey(key, v)
	if c, ok := verified.get(k); ok {
		return c, nil
	}
	var w storedWire
	if err := cose.Unmarshal(v, &w); err != nil {
		return nil, fmt.Errorf("contract record %s is damaged: %w", key, err)
	}
	c, err := contractFromStored(w)
	if err != nil {
		return nil, fmt.Errorf("contract record %s is damaged: %w", key, err)
	}
	if keyContracts+c.ID().String() != key {
		return nil, fmt.Errorf("contract record %s holds contract %s", key, c.ID())
	}
	verified.put(k, c)
	return c, nil
}

func put(x *store.Txn, c *Contract) error {
	b, err := cose.Marshal(c.stored())
	if err != nil {
		return err
	}
	return x.Set([]byte(keyContracts+c.ID().String()), b)
}
