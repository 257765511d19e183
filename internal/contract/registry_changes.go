package contract

import (
	"bytes"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/identity"
)

// End ends contract id as me, who must be one of its parties. The signed
// record is kept in the contract; the sync layer sends it to the other side.
func (r *Registry) End(id ID, me *identity.Identity, reason string, now time.Time) (*Contract, error) {
	return r.change(id, func(c *Contract) error {
		if c.End != nil {
			return ErrEnded
		}
		if !c.isParty(me.PublicKey()) {
			return fmt.Errorf("end contract %s: %w: you are not a party to it", id.Short(), ErrWrongSigner)
		}
		e, err := NewEnd(id, me, reason, now)
		if err != nil {
			return err
		}
		c.End, c.State = e, StateEnded
		return nil
	})
}

// RecordEnd stores an end of contract received from the other side. When
// both sides ended it, both keep the earlier record (ties: lower bytes), so
// the two installations agree without talking again.
func (r *Registry) RecordEnd(signed []byte) (*Contract, error) {
	e, err := DecodeEnd(signed)
	if err != nil {
		return nil, err
	}
	return r.change(e.ContractID, func(c *Contract) error {
		if !c.isParty(e.By) {
			return fmt.Errorf("end of contract %s: %w: signer is not a party", c.ID().Short(), ErrWrongSigner)
		}
		if c.End == nil || e.At.Before(c.End.At) ||
			(e.At.Equal(c.End.At) && bytes.Compare(e.signed, c.End.signed) < 0) {
			c.End = e
		}
		c.State = StateEnded
		return nil
	})
}

// Amend sets a new weekly limit on contract id as its employer. It adds a
// signed amendment; the offer itself is never changed.
func (r *Registry) Amend(id ID, me *identity.Identity, weeklyLimitHours int, now time.Time) (*Contract, error) {
	return r.change(id, func(c *Contract) error {
		if c.Role != RoleEmployer {
			return ErrNotEmployer
		}
		if c.End != nil {
			return ErrEnded
		}
		a, err := NewAmendment(c.Offer, me, uint64(len(c.Amendments)+1), weeklyLimitHours, now)
		if err != nil {
			return err
		}
		c.Amendments = append(c.Amendments, a)
		return nil
	})
}

// RecordAmendment stores an amendment received from the employer.
// Amendments must arrive in order; a repeat of one already held is
// harmless, a different one with the same number is refused.
func (r *Registry) RecordAmendment(signed []byte) (*Contract, error) {
	a, err := DecodeAmendment(signed)
	if err != nil {
		return nil, err
	}
	return r.change(a.ContractID, func(c *Contract) error {
		if _, err := VerifyAmendment(signed, c.Offer); err != nil {
			return err
		}
		n := uint64(len(c.Amendments))
		switch {
		case a.Seq <= n && sameBytes(c.Amendments[a.Seq-1].signed, a.signed):
			return nil
		case a.Seq <= n:
			return fmt.Errorf("%w: amendment %d differs from the one already recorded", ErrMalformed, a.Seq)
		case a.Seq > n+1:
			return fmt.Errorf("amendment %d arrived before amendment %d: sync again", a.Seq, n+1)
		}
		c.Amendments = append(c.Amendments, a)
		return nil
	})
}
