package node

import (
	"encoding/hex"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/timesheet"
)

// LogStatus reports a contract's log as this installation holds it: the
// contractor's own log, or the employer's received copy; with the latest
// checkpoint, the newest cosigned receipt (receipts are kept one per
// checkpoint size), the weeks both parties closed and the entries the
// employer refused.
func (n *Node) LogStatus(ref string) (LogStatus, error) {
	c, err := n.Contracts().Resolve(ref)
	if err != nil {
		return LogStatus{}, err
	}
	logID, ok := n.logOf(c)
	if !ok { // an offer nobody accepted yet: an empty log
		logID = ledger.LogIDOf(c.ID(), c.Offer.EmployerKey)
	}
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
		if c, err := ledger.PeekCheckpoint(co); err == nil {
			st.ReceiptSize = c.Size
		}
		sizes, err := logdb.ReceiptSizes(x, logID)
		if err != nil {
			return err
		}
		st.Receipts = len(sizes)
		closes, err := logdb.Closes(x, logID)
		if err != nil {
			return err
		}
		for _, w := range closes {
			week := timesheet.WeekOf(time.Unix(w.Week, 0), c.Offer.WeekStart)
			st.Closed = append(st.Closed, ClosedWeek{Week: week.String(), Size: w.Size, Entries: w.Count})
		}
		st.Refused, err = refusedEntries(x, logID)
		return err
	})
	return st, err
}
