package node

import (
	"encoding/hex"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// LogStatus reports a contract's log as this installation holds it: the
// contractor's own log, or the employer's received copy; with the latest
// checkpoint, the cosigned receipt and the entries the employer refused.
func (n *Node) LogStatus(ref string) (LogStatus, error) {
	c, err := n.Contracts().Resolve(ref)
	if err != nil {
		return LogStatus{}, err
	}
	writer := c.Offer.EmployerKey
	if c.Role == contract.RoleContractor {
		me, err := n.Identity()
		if err != nil {
			return LogStatus{}, err
		}
		writer = me.PublicKey()
	} else if c.Acceptance != nil {
		writer = c.Acceptance.Contractor.PublicKey
	}
	logID := ledger.LogID([32]byte(c.ID()), writer)
	st := LogStatus{Contract: c.ID().String(), LogID: hex.EncodeToString(logID[:])}
	err = n.store.View(func(x *store.Txn) error {
		h, err := logdb.Head(x, logID)
		if err != nil {
			return err
		}
		st.Seq, st.Head = h.Seq, hex.EncodeToString(h.Hash[:])
		cp, err := logdb.Note(x, logID, logdb.NoteCheckpoint)
		if err != nil {
			return err
		}
		co, err := logdb.Note(x, logID, logdb.NoteCosigned)
		if err != nil {
			return err
		}
		st.Checkpoint, st.Cosigned = string(cp), string(co)
		st.Refused, err = refusedEntries(x, logID)
		return err
	})
	return st, err
}
