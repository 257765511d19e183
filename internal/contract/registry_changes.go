package contract

import (
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/workdiary/workdiary/internal/store"
)

// A change of a running contract (end, pause, resume, amendment, dispute,
// answer) is a signed record that takes effect once the contractor's node
// binds it into its log (docs/format.md, "Contract records in the log").
// The registry keeps what the log has bound, for the views and the entry
// rules, and the employer's records still waiting to be bound.

// Bind records that signed was bound into contract id's log at at. A record
// bound already changes nothing; one the rules refuse is an error and
// changes nothing. A proposal it settles leaves the outbox.
func (r *Registry) Bind(id ID, signed []byte, at time.Time) (*Contract, error) {
	return r.change(id, bindFn(signed, at))
}

// BindIn is Bind inside x, the transaction that appends the binding entry
// to the log: the log and the registry change together or not at all.
func BindIn(x *store.Txn, id ID, signed []byte, at time.Time) (*Contract, error) {
	return changeIn(x, id, bindFn(signed, at))
}

func bindFn(signed []byte, at time.Time) func(*Contract) error {
	return func(c *Contract) error {
		if c.Life == nil {
			return fmt.Errorf("contract %s has not been accepted: nothing can change it yet", c.ID().Short())
		}
		err := c.Life.Bind(signed, at)
		if errors.Is(err, ErrAlreadyBound) {
			c.dropProposed(signed)
			return nil
		}
		if err != nil {
			return err
		}
		c.bound = append(c.bound, boundWire{Record: slices.Clone(signed), At: wireTime(at)})
		c.dropProposed(signed)
		if c.Life.End != nil {
			c.End, c.State, c.proposed = c.Life.End, StateEnded, nil
		}
		return nil
	}
}

// Propose keeps a record this side signed for the contractor's node to
// bind (the employer's end, pause, resume, amendment or dispute), once it
// has checked that the record would bind now. The sync offers it to the
// contractor's node until the log carries it.
func (r *Registry) Propose(id ID, signed []byte, now time.Time) (*Contract, error) {
	return r.change(id, func(c *Contract) error {
		if c.Life == nil {
			return fmt.Errorf("contract %s has not been accepted: nothing can change it yet", id.Short())
		}
		if err := c.WouldBind(signed, now); err != nil {
			return err
		}
		c.proposed = append(c.proposed, slices.Clone(signed))
		return nil
	})
}

// WouldBind says whether signed would bind after the records bound and
// proposed so far, at now.
func (c *Contract) WouldBind(signed []byte, now time.Time) error {
	if c.Life == nil {
		return fmt.Errorf("contract %s has not been accepted: nothing can change it yet", c.ID().Short())
	}
	l := c.Life.clone()
	for _, p := range c.proposed {
		if err := l.Bind(p, now); err != nil && !errors.Is(err, ErrAlreadyBound) {
			return fmt.Errorf("an earlier change still waits for the contractor's node and no longer applies: %w", err)
		}
	}
	return l.Bind(signed, now)
}

// Proposed are the records waiting for the contractor's node, oldest first.
func (c *Contract) Proposed() [][]byte { return slices.Clone(c.proposed) }

// NextAmendment is the Seq the next amendment takes.
func (c *Contract) NextAmendment() uint64 {
	n := 0
	if c.Life != nil {
		n = len(c.Life.Amendments)
	}
	for _, p := range c.proposed {
		if k, _ := peekKind(p); k == kindAmendment {
			n++
		}
	}
	return uint64(n + 1)
}

func (c *Contract) dropProposed(signed []byte) {
	c.proposed = slices.DeleteFunc(c.proposed, func(p []byte) bool { return sameBytes(p, signed) })
}

// Prune drops the proposals that would no longer bind at now (a dispute
// whose review window has passed, a change after an end) and returns
// those that still would, oldest first.
func (r *Registry) Prune(id ID, now time.Time) ([][]byte, error) {
	var keep [][]byte
	_, err := r.change(id, func(c *Contract) error {
		if c.Life == nil || len(c.proposed) == 0 {
			return nil
		}
		l := c.Life.clone()
		keep = nil
		for _, p := range c.proposed {
			if l.Bind(p, now) == nil {
				keep = append(keep, p)
			}
		}
		c.proposed = keep
		return nil
	})
	return keep, err
}

// Pending is a lifecycle of the proposals alone, for showing them: what
// they would add to the bound records at now.
func (c *Contract) Pending(now time.Time) *Lifecycle {
	if c.Life == nil {
		return nil
	}
	full := c.Life.clone()
	nh, na, nd := len(full.Holds), len(full.Amendments), len(full.Disputes)
	for _, p := range c.proposed {
		_ = full.Bind(p, now)
	}
	out := &Lifecycle{offer: c.Offer, contractor: c.Life.contractor, bound: map[[32]byte]bool{},
		Holds: full.Holds[nh:], Amendments: full.Amendments[na:], Disputes: full.Disputes[nd:]}
	if c.Life.End == nil {
		out.End = full.End
	}
	return out
}
