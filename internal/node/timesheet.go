package node

import (
	"errors"
	"fmt"
	"os"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncstore"
	"github.com/workdiary/workdiary/internal/timesheet"
)

// TimesheetParams choose a contract week and where the files go.
type TimesheetParams struct {
	Contract string `json:"contract"`
	Week     string `json:"week"` // ISO week, 2026-W48
	Out      string `json:"out"`  // directory
}

// TimesheetResult is what an export wrote.
type TimesheetResult struct {
	Files   timesheet.Files `json:"files"`
	Summary string          `json:"summary"`
}

// ErrNoReceipt: a bundle needs a checkpoint both parties signed.
var ErrNoReceipt = errors.New("no cosigned checkpoint yet: sync with the other party first")

// ExportTimesheet signs the week's timesheet of a contract and writes the
// bundle, PDF, CSV and detached OpenSSH signature. The employer signs it
// from the received copy; a contractor signs it from its own log as proof
// of delivery. Both need the receipt (the cosigned checkpoint), which pins
// the entries the timesheet counts.
func (n *Node) ExportTimesheet(p TimesheetParams) (TimesheetResult, error) {
	me, err := n.Identity()
	if err != nil {
		return TimesheetResult{}, err
	}
	c, err := n.Contracts().Resolve(p.Contract)
	if err != nil {
		return TimesheetResult{}, err
	}
	if c.Acceptance == nil {
		return TimesheetResult{}, fmt.Errorf("contract %s has not been accepted: there is no time to bill", c.ID().Short())
	}
	logID := ledger.LogID([32]byte(c.ID()), c.Acceptance.Contractor.PublicKey)
	var note []byte
	var entries [][]byte
	err = n.store.View(func(x *store.Txn) error {
		if note, err = logdb.Note(x, logID, logdb.NoteCosigned); err != nil || note == nil {
			return errors.Join(err, ErrNoReceipt)
		}
		cp, _, err := ledger.OpenCheckpoint(note, syncstore.NoteKey(c.Acceptance.Contractor.PublicKey), syncstore.NoteKey(c.Offer.EmployerKey))
		if err != nil {
			return err
		}
		entries, err = logdb.Entries(x, logID, 1, cp.Size)
		return err
	})
	if err != nil {
		return TimesheetResult{}, err
	}
	in := timesheet.Input{Offer: c.Offer.Signed(), Acceptance: c.Acceptance.Signed(), Entries: entries, Week: p.Week}
	if c.End != nil {
		in.End = c.End.Signed()
	}
	ts, err := timesheet.Build(in)
	if err != nil {
		return TimesheetResult{}, err
	}
	if err := os.MkdirAll(p.Out, 0o755); err != nil {
		return TimesheetResult{}, fmt.Errorf("create %s: %w", p.Out, err)
	}
	files, err := timesheet.Export(p.Out, ts, me.PrivateKey(), timesheet.BundleParts{Checkpoint: note})
	if err != nil {
		return TimesheetResult{}, err
	}
	sum, err := timesheet.VerifyBundle(files.Zip)
	if err != nil {
		return TimesheetResult{}, fmt.Errorf("the bundle just written does not verify: %w", err)
	}
	return TimesheetResult{Files: files, Summary: sum.String()}, nil
}
