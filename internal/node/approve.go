package node

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// ApproveParams select what to approve: every finished recorded segment of
// the contract (All), those that start before Through, or the listed IDs.
type ApproveParams struct {
	Contract string    `json:"contract"`
	Through  time.Time `json:"through,omitempty"`
	All      bool      `json:"all,omitempty"`
	IDs      []string  `json:"ids,omitempty"`
}

// LogStatus is where a contract's log stands.
type LogStatus struct {
	Contract   string `json:"contract"`
	LogID      string `json:"log_id"`
	Seq        uint64 `json:"seq"`
	Head       string `json:"head"`
	Checkpoint string `json:"checkpoint"`         // the latest signed note, as text
	Cosigned   string `json:"cosigned,omitempty"` // the newest receipt: the note signed by both
	// ReceiptSize is the size of the checkpoint the newest receipt pins,
	// Receipts how many receipts (one per size) this installation keeps.
	ReceiptSize uint64 `json:"receipt_size,omitempty"`
	Receipts    int    `json:"receipts,omitempty"`
	Approved    int    `json:"approved"` // segments approved by this call
	// IdlePending counts the selected segments left out because an idle
	// question about their minutes is still open.
	IdlePending int `json:"idle_pending,omitempty"`
	// NotApproved are selected segments this call did not sign because
	// they break the contract's terms (the employer would refuse them).
	NotApproved []HeldSegment `json:"not_approved,omitempty"`
	// Refused are entries of the log the employer keeps but refused.
	Refused []RefusedEntry `json:"refused,omitempty"`
	// Closed are the weeks both parties have closed, oldest first.
	Closed []ClosedWeek `json:"closed,omitempty"`
	// Closing are the weeks that still take approvals, with time left
	// unapproved: after their deadline it can no longer be approved.
	Closing []ClosingWeek `json:"closing,omitempty"`
}

// ClosedWeek is a week both parties closed: its week and the log's size
// at the close.
type ClosedWeek struct {
	Week string `json:"week"` // ISO week, 2026-W48
	Size uint64 `json:"size"`
	// Entries is how many entries of the log up to Size have time in it.
	Entries uint64 `json:"entries"`
}

// ClosingWeek is a week whose deadline is ahead and that still has
// recorded time nobody approved.
type ClosingWeek struct {
	Week       string    `json:"week"` // ISO week, 2026-W48
	Deadline   time.Time `json:"deadline"`
	Unapproved int       `json:"unapproved"` // recorded segments
}

// HeldSegment is a segment approve left recorded, and why.
type HeldSegment struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
	// WeekClosed: its week has closed; it can only be deleted, and the
	// time added as a correction in the current week.
	WeekClosed bool `json:"week_closed,omitempty"`
}

// ErrNothingToApprove: an approval that names no segments (not all, none
// through a time, no IDs). The command line says which flags name them.
var ErrNothingToApprove = errors.New("say what to approve")

// approveBatch bounds one transaction; each batch of entries commits
// together with its segments' state, all or nothing.
const approveBatch = 100

// Approve turns the selected segments into the next signed entries of the
// contract's log, makes them immutable, and signs a checkpoint of the log.
func (n *Node) Approve(p ApproveParams) (LogStatus, error) {
	if !p.All && p.Through.IsZero() && len(p.IDs) == 0 {
		return LogStatus{}, ErrNothingToApprove
	}
	id, err := n.Identity()
	if err != nil {
		return LogStatus{}, err
	}
	c, err := n.contractorContract(p.Contract)
	if err != nil {
		return LogStatus{}, err
	}
	now := n.Clock.Now()
	segs, held, waiting, err := n.approvable(c, p, now)
	if err != nil {
		return LogStatus{}, err
	}
	for _, h := range held {
		n.log.Warn("approve: a segment stays recorded", "contract", c.ID().Short(), "segment", h.ID, "reason", h.Reason)
	}
	cid := c.ID()
	logID := ledger.LogIDOf(cid, id.PublicKey())
	total := len(segs)
	for len(segs) > 0 {
		batch := segs[:min(approveBatch, len(segs))]
		segs = segs[len(batch):]
		if err := n.store.UpdateRetrying(func(x *store.Txn) error { return approveTxn(x, id.PrivateKey(), cid, logID, batch, now) }); err != nil {
			return LogStatus{}, fmt.Errorf("approve: %w", err)
		}
	}
	st, err := n.signCheckpoint(c, logID)
	st.Approved, st.IdlePending, st.NotApproved = total, waiting, held
	if err == nil {
		st.Closing, err = n.closingWeeks(c, now)
	}
	if total > 0 {
		n.pushSoon(c)
		n.announce(TopicDiaryChanged, nil)
	}
	return st, err
}

func approveTxn(x *store.Txn, key []byte, cid contract.ID, logID ledger.LogID, batch []diary.Segment, now time.Time) error {
	l, err := openOwnLog(x, key, cid, logID)
	if err != nil {
		return err
	}
	signed := make([]ledger.Signed, 0, len(batch))
	for _, seg := range batch {
		e, err := seg.LedgerEntry(now)
		if err != nil {
			return err
		}
		s, err := l.Append(e)
		if err != nil {
			return fmt.Errorf("segment %s: %w", seg.ID(), err)
		}
		seg.State, seg.Entry = diary.Approved, s.Entry.Seq
		if err := diarydb.PutTxn(x, seg); err != nil {
			return err
		}
		signed = append(signed, s)
	}
	return logdb.Append(x, logID, signed)
}

// openOwnLog is the contractor's own log logID, ready to append inside x.
func openOwnLog(x *store.Txn, key []byte, cid contract.ID, logID ledger.LogID) (*ledger.Log, error) {
	head, err := logdb.Head(x, logID)
	if err != nil {
		return nil, err
	}
	return ledger.NewLog(key, cid, head, logdb.NewHistory(x, logID))
}

// approvable lists the recorded, finished segments the parameters select
// that pass the contract's entry rules (the employer's own checks); those
// that do not, with why: a signed entry is forever, so nothing the
// employer would refuse is signed; and how many were left out because an
// idle question about their minutes is open.
func (n *Node) approvable(c *contract.Contract, p ApproveParams, now time.Time) ([]diary.Segment, []HeldSegment, int, error) {
	to := now
	if !p.All && !p.Through.IsZero() && p.Through.Before(now) {
		to = p.Through
	}
	all, err := diarydb.New(n.store).Range(c.ID().String(), time.Time{}, to)
	if err != nil {
		return nil, nil, 0, err
	}
	want := map[string]bool{}
	for _, id := range p.IDs {
		want[id] = true
	}
	rules, err := n.entryRules(c)
	if err != nil {
		return nil, nil, 0, err
	}
	var out []diary.Segment
	var held []HeldSegment
	waiting := 0
	for _, s := range all {
		if len(want) > 0 && !want[s.ID()] {
			continue
		}
		if !s.Approvable(now) {
			if s.State == diary.Recorded && len(s.IdlePending) > 0 {
				waiting++
			}
			continue
		}
		e, err := s.LedgerEntry(now)
		if err == nil {
			err = rules.Check(e)
		}
		if err != nil {
			held = append(held, HeldSegment{ID: s.ID(), Reason: err.Error(), WeekClosed: errors.Is(err, contract.ErrWeekClosed)})
			continue
		}
		out = append(out, s)
	}
	return out, held, waiting, nil
}

// signCheckpoint signs the log's current checkpoint (when it grew) and
// reports the log's state.
func (n *Node) signCheckpoint(c *contract.Contract, logID ledger.LogID) (LogStatus, error) {
	id, _ := n.Identity()
	st := LogStatus{Contract: c.ID().String(), LogID: hex.EncodeToString(logID[:])}
	err := n.store.UpdateRetrying(func(x *store.Txn) error {
		st.Checkpoint = ""
		cp, err := logdb.Checkpoint(x, logID)
		if err != nil {
			return err
		}
		head, err := logdb.Head(x, logID)
		if err != nil {
			return err
		}
		st.Seq, st.Head = head.Seq, hex.EncodeToString(head.Hash[:])
		note, err := logdb.Note(x, logID, logdb.NoteCheckpoint)
		if err != nil {
			return err
		}
		if note != nil && strings.Contains(string(note), cp.Text()) {
			st.Checkpoint = string(note)
			return nil
		}
		if note, err = ledger.SignCheckpoint(id.PrivateKey(), id.PeerID().String(), cp); err != nil {
			return err
		}
		st.Checkpoint = string(note)
		return logdb.SaveNote(x, logID, logdb.NoteCheckpoint, note)
	})
	return st, err
}

func (n *Node) contractorContract(ref string) (*contract.Contract, error) {
	c, err := n.Contracts().Resolve(ref)
	if err != nil {
		return nil, err
	}
	if c.Role != contract.RoleContractor {
		return nil, fmt.Errorf("contract %s: you are its employer; only the contractor approves and curates the diary", c.ID().Short())
	}
	return c, nil
}
