package node

import (
	"cmp"
	"slices"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// RefusedEntry is an entry of a contract's log that the employer keeps,
// for the chain, but refused: it breaks a term of the contract and counts
// for nothing. The contractor voids it (deleting its segment) and adds
// correct time instead.
type RefusedEntry struct {
	Seq      uint64    `json:"seq"`
	Start    time.Time `json:"start"`
	Kind     string    `json:"kind"`
	Reason   string    `json:"reason"`
	VoidedBy uint64    `json:"voided_by,omitempty"` // the void that withdrew it; 0 while it stands
}

// refusedEntries lists the log's refused entries by seq.
func refusedEntries(x *store.Txn, logID ledger.LogID) ([]RefusedEntry, error) {
	reasons, err := logdb.Refusals(x, logID)
	if err != nil || len(reasons) == 0 {
		return nil, err
	}
	h := logdb.NewHistory(x, logID)
	out := make([]RefusedEntry, 0, len(reasons))
	for seq, why := range reasons {
		r := RefusedEntry{Seq: seq, Reason: why}
		if s, ok := h.Entry(seq); ok {
			r.Start, r.Kind, r.VoidedBy = time.Unix(s.Start, 0).UTC(), s.Kind.String(), s.VoidedBy
		}
		out = append(out, r)
	}
	slices.SortFunc(out, func(a, b RefusedEntry) int { return cmp.Compare(a.Seq, b.Seq) })
	return out, nil
}

// standing keeps the refused entries no void has withdrawn yet: those
// that still want the contractor's attention.
func standing(rs []RefusedEntry) []RefusedEntry {
	return slices.DeleteFunc(rs, func(r RefusedEntry) bool { return r.VoidedBy != 0 })
}

// logOf is the log of contract c as this installation holds it: its own
// as contractor, the received copy as employer.
func (n *Node) logOf(c *contract.Contract) (ledger.LogID, bool) {
	if c.Role == contract.RoleContractor {
		me, err := n.Identity()
		if err != nil {
			return ledger.LogID{}, false
		}
		return ledger.LogIDOf(c.ID(), me.PublicKey()), true
	}
	if c.Acceptance == nil {
		return ledger.LogID{}, false
	}
	return ledger.LogIDOf(c.ID(), c.Acceptance.Contractor.PublicKey), true
}

// standingRefusals are contract c's refused entries not yet voided.
func (n *Node) standingRefusals(c *contract.Contract) []RefusedEntry {
	logID, ok := n.logOf(c)
	if !ok {
		return nil
	}
	var rs []RefusedEntry
	_ = n.store.View(func(x *store.Txn) error {
		var err error
		rs, err = refusedEntries(x, logID)
		return err
	})
	return standing(rs)
}
