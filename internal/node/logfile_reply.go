package node

import (
	"archive/zip"
	"fmt"
	"os"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// exportReply writes the employer's answer to the contractor's log files
// (syncp2p.Reply): the newest receipt, the closes it cosigned, its
// records still to bind and its refusals, what a live round would tell.
func (n *Node) exportReply(c *contract.Contract, file string) (LogFileResult, error) {
	if c.Acceptance == nil {
		return LogFileResult{}, fmt.Errorf("contract %s: nobody has accepted it yet; import the contractor's log file first", c.ID().Short())
	}
	rep, err := syncp2p.MakeReply(n.side, c.ID())
	if err != nil {
		return LogFileResult{}, err
	}
	members, err := rep.Members()
	if err != nil {
		return LogFileResult{}, err
	}
	if err := writeMembers(file, members); err != nil {
		return LogFileResult{}, fmt.Errorf("export: %w", err)
	}
	res := LogFileResult{Kind: "reply", Contract: c.ID().String(), Receipt: string(rep.Receipt), Closes: len(rep.Cosigned),
		Changes: map[string]int{}}
	for _, r := range rep.Records {
		if k, err := contract.RecordKind(r); err == nil {
			res.Changes[k]++
		}
	}
	return res, nil
}

// writeMembers writes a small archive of members, stored uncompressed.
func writeMembers(file string, members []syncp2p.Member) error {
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	defer f.Close()
	z := zip.NewWriter(f)
	for _, m := range members {
		w, err := z.CreateHeader(&zip.FileHeader{Name: m.Name, Method: zip.Store})
		if err == nil {
			_, err = w.Write(m.Data)
		}
		if err != nil {
			return err
		}
	}
	if err := z.Close(); err != nil {
		return err
	}
	return f.Sync()
}

// importReply applies the employer's reply on the contractor's side, with
// the checks of a live round (syncp2p.ImportReply), and says what it
// changed: the weeks now closed by both, the employer's records bound.
func (n *Node) importReply(file string, members []syncp2p.Member) (LogFileResult, error) {
	fail := func(err error) (LogFileResult, error) {
		return LogFileResult{}, fmt.Errorf("import %s: %w", file, err)
	}
	rep, err := syncp2p.DecodeReply(members)
	if err != nil {
		return fail(err)
	}
	c, err := n.Contracts().Get(rep.Contract)
	if err != nil {
		return fail(fmt.Errorf("%w: %v", syncp2p.ErrUnknown, err))
	}
	if c.Role != contract.RoleContractor {
		return fail(fmt.Errorf("%w: this is the employer's reply for the contractor of %s, and you are its employer", syncp2p.ErrNotParty, c.ID().Short()))
	}
	me, err := n.Identity()
	if err != nil {
		return fail(err)
	}
	logID := ledger.LogIDOf(rep.Contract, me.PublicKey())
	closed, life := n.closeCount(logID), n.lifeCounts(c.ID())
	if err := syncp2p.ImportReply(n.side, c.Offer.EmployerPeerID(), rep); err != nil {
		return fail(err)
	}
	n.noteReached(c.ID(), p2p.PathFile)
	res := LogFileResult{Kind: "reply", Contract: c.ID().String(), Receipt: string(rep.Receipt),
		Closes: n.closeCount(logID) - closed, Changes: changes(life, n.lifeCounts(c.ID()))}
	if c, err := n.Contracts().Get(c.ID()); err == nil {
		res.Refused = n.standingRefusals(c)
	}
	return res, nil
}

// closeCount is how many weeks of a log both parties have closed.
func (n *Node) closeCount(logID ledger.LogID) int {
	var closes []ledger.WeekClose
	_ = n.store.View(func(x *store.Txn) (err error) {
		closes, err = logdb.Closes(x, logID)
		return err
	})
	return len(closes)
}

// lifeCounts counts the records bound into a contract's log, by kind.
func (n *Node) lifeCounts(id contract.ID) map[string]int {
	c, err := n.Contracts().Get(id)
	if err != nil || c.Life == nil {
		return nil
	}
	l := c.Life
	out := map[string]int{"pause": (len(l.Holds) + 1) / 2, "resume": len(l.Holds) / 2, "amendment": len(l.Amendments),
		"dispute": len(l.Disputes), "answer": len(l.Answers)}
	if l.End != nil {
		out["end"] = 1
	}
	return out
}

// changes are the kinds whose count grew from before to after.
func changes(before, after map[string]int) map[string]int {
	out := map[string]int{}
	for k, v := range after {
		if d := v - before[k]; d > 0 {
			out[k] = d
		}
	}
	if len(out) == 0 {
		return nil
	}
	return out
}
