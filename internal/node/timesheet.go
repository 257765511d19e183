package node

import (
	"errors"
	"fmt"
	"os"

	"github.com/workdiary/workdiary/internal/contract"
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
	// Sheet is the signed timesheet itself, so a window can say what it
	// holds in its own words instead of showing Summary.
	Sheet timesheet.Timesheet `json:"sheet"`
}

// ErrNoReceipt: a bundle needs a checkpoint both parties signed.
var ErrNoReceipt = errors.New("no cosigned checkpoint yet: sync with the other party first")

// ExportTimesheet signs the week's timesheet of a contract and writes the
// bundle, PDF, CSV and detached OpenSSH signature. The employer signs it
// from the received copy; a contractor signs it from its own log as proof
// of delivery. Both need the week's cosigned close or, before the week
// closes, the receipt (the cosigned checkpoint), which pins the entries
// the timesheet counts.
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
	logID := ledger.LogIDOf(c.ID(), c.Acceptance.Contractor.PublicKey)
	week, err := timesheet.ParseWeek(p.Week, c.Offer.Weeks())
	if err != nil {
		return TimesheetResult{}, err
	}
	var note, closed []byte
	var entries [][]byte
	err = n.store.View(func(x *store.Txn) error {
		// A closed week is billed from its close: only its entries, proven,
		// and the same bundle however the log grows afterwards.
		if closed, err = logdb.Close(x, logID, week.Start.Unix()); err != nil || closed != nil {
			if err != nil {
				return err
			}
			w, err := ledger.PeekWeekClose(closed)
			if err != nil {
				return err
			}
			// Disputes of the week and their answers are bound after its
			// close: they come proven against the newest receipt. A week
			// nobody disputed needs only the log up to its close.
			size := w.Size
			if disputed(c, week) {
				if note, err = logdb.Note(x, logID, logdb.NoteCosigned); err != nil {
					return err
				}
			}
			if note != nil {
				cp, err := ledger.PeekCheckpoint(note)
				if err != nil {
					return err
				}
				if cp.Size > w.Size {
					size = cp.Size
				} else {
					note = nil
				}
			}
			entries, err = logdb.Entries(x, logID, 1, size)
			return err
		}
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
	in := timesheet.Input{Offer: c.Offer.Signed(), Acceptance: c.Acceptance.Signed(), Entries: entries, Week: p.Week, Close: closed}
	if closed == nil {
		in.Checkpoint = note
	} else {
		in.Review = note
	}
	if c.End != nil && closed == nil {
		// A closed week's end, if any, is the one bound up to its close
		// (the timesheet takes it from there); one bound later does not
		// reach into the closed week.
		in.End = c.End.Signed()
	}
	ts, err := timesheet.Build(in)
	if err != nil {
		return TimesheetResult{}, err
	}
	if err := os.MkdirAll(p.Out, 0o755); err != nil {
		return TimesheetResult{}, fmt.Errorf("create %s: %w", p.Out, err)
	}
	// The zip is verified before it is written; its verification is the
	// summary (reading the file back and verifying it again cost another
	// decoding of the whole log). That check takes the log Build decoded
	// for the entries it finds byte for byte in the zip, so an open
	// week's export decodes a year's log once, not twice.
	files, sum, err := timesheet.ExportVerified(p.Out, ts, me.PrivateKey(), timesheet.BundleParts{Checkpoint: note})
	if err != nil {
		return TimesheetResult{}, err
	}
	return TimesheetResult{Files: files, Summary: sum.String(), Sheet: sum.Timesheet}, nil
}

// disputed reports whether the log binds a dispute of week, as the
// contract's lifecycle holds it (the timesheet checks the rest).
func disputed(c *contract.Contract, week timesheet.Week) bool {
	if c.Life == nil {
		return false
	}
	for _, d := range c.Life.Disputes {
		if d.Week(c.Offer).Equal(week.Start) {
			return true
		}
	}
	return false
}
