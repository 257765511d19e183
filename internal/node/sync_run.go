package node

import (
	"context"
	"encoding/hex"
	"errors"
	"fmt"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// SyncParams choose the contracts of a sync round ("" = all).
type SyncParams struct {
	Contract string `json:"contract,omitempty"`
}

// SyncResult is one contract's round.
type SyncResult struct {
	Contract string `json:"contract"`
	Title    string `json:"title"`
	Role     string `json:"role"`
	Seq      uint64 `json:"seq"`   // entries the employer holds after the round
	Total    uint64 `json:"total"` // the contractor's head (contractor side)
	Error    string `json:"error,omitempty"`
	// Unreachable: the round failed only because the counterpart could
	// not be reached (offline, most often), which the next sync retries.
	Unreachable bool `json:"unreachable,omitempty"`
	// Path is how the counterpart was reached for this round (p2p.Path*),
	// when it succeeded; p2p.PathLimited when it failed because only a
	// public relay reaches the counterpart (p2p.ErrRelayedOnly).
	Path string `json:"path,omitempty"`
	// Refused are the log's entries the employer refused that no void
	// has withdrawn yet.
	Refused []RefusedEntry `json:"refused,omitempty"`
}

// SyncProgress is a contractor's round as it goes, announced on
// TopicSyncProgress for the desktop app's progress bar.
type SyncProgress struct {
	Contract    string `json:"contract"`
	Stage       string `json:"stage"` // sending, checkpoint, done
	Sent        uint64 `json:"sent"`  // entries the employer has acknowledged
	Total       uint64 `json:"total"` // the contractor's head
	Images      uint64 `json:"images"`
	ImagesTotal uint64 `json:"images_total"`
}

// Sync runs one round with the counterpart of each selected contract: a
// contractor pushes its log (and a queued acceptance); an employer asks
// its contractor to push. progress receives each step, which is also
// announced (TopicSyncProgress).
func (n *Node) Sync(ctx context.Context, p SyncParams, progress func(syncp2p.Progress)) ([]SyncResult, error) {
	caller := progress
	progress = func(pr syncp2p.Progress) {
		if caller != nil {
			caller(pr)
		}
		n.announce(TopicSyncProgress, SyncProgress{Contract: hex.EncodeToString(pr.Contract[:]), Stage: pr.Stage,
			Sent: pr.Sent, Total: pr.Total, Images: pr.Images, ImagesTotal: pr.ImagesTotal})
	}
	nw := n.network()
	if nw == nil {
		return nil, errNoNetwork
	}
	cs, err := n.syncContracts(p.Contract)
	if err != nil {
		return nil, err
	}
	var out []SyncResult
	for _, c := range cs {
		r := SyncResult{Contract: c.ID().String(), Title: c.Offer.Title, Role: c.Role.String()}
		err := n.syncOne(ctx, nw, c, &r, progress)
		if err != nil {
			r.Error, r.Unreachable = shortErr(err), errors.Is(err, ErrUnreachable)
			if errors.Is(err, p2p.ErrRelayedOnly) {
				r.Path = p2p.PathLimited
			}
			n.noteSync(c.ID(), 0, err)
		} else {
			r.Path = n.pathTo(c.ID())
		}
		r.Refused = n.standingRefusals(c)
		out = append(out, r)
	}
	return out, nil
}

func (n *Node) syncOne(ctx context.Context, nw *network, c *contract.Contract, r *SyncResult, progress func(syncp2p.Progress)) error {
	id := c.ID()
	if c.Role == contract.RoleContractor {
		emp := c.Offer.EmployerPeerID()
		if err := nw.host.Connect(ctx, emp, parseAddrs(c.Offer.EmployerAddrs)...); err != nil {
			return n.unreachable("employer", err)
		}
		err := nw.svc.Push(ctx, emp, id, func(pr syncp2p.Progress) {
			r.Seq, r.Total = pr.Sent, pr.Total
			if progress != nil {
				progress(pr)
			}
		})
		return err
	}
	if c.Acceptance == nil {
		return fmt.Errorf("nobody has accepted this offer yet")
	}
	con := identity.PeerIDOf(c.Acceptance.Contractor.PublicKey)
	if err := nw.host.Connect(ctx, con, parseAddrs(c.Acceptance.Addrs)...); err != nil {
		return n.unreachable("contractor", err)
	}
	if err := nw.svc.Pull(ctx, con, id); err != nil {
		return err
	}
	h, err := n.side.Head(id)
	r.Seq = h.Seq
	return err
}

func (n *Node) syncContracts(ref string) ([]*contract.Contract, error) {
	if ref != "" {
		c, err := n.Contracts().Resolve(ref)
		if err != nil {
			return nil, err
		}
		return []*contract.Contract{c}, nil
	}
	all, err := n.Contracts().List()
	if err != nil {
		return nil, err
	}
	var out []*contract.Contract
	for _, c := range all {
		if c.State == contract.StateActive || c.State == contract.StateAcceptedPending || n.undelivered(c) {
			out = append(out, c)
		}
	}
	return out, nil
}

// undelivered: a contract that ended on this contractor's side whose log
// the employer has not cosigned to its head still syncs, so the end (bound
// into the log last) and the time before it reach the employer.
func (n *Node) undelivered(c *contract.Contract) bool {
	if c.State != contract.StateEnded || c.Role != contract.RoleContractor {
		return false
	}
	logID, ok := n.logOf(c)
	if !ok {
		return false
	}
	pending := false
	_ = n.store.View(func(x *store.Txn) error {
		head, err := logdb.Head(x, logID)
		if err != nil {
			return err
		}
		sizes, err := logdb.ReceiptSizes(x, logID)
		pending = err == nil && (len(sizes) == 0 || sizes[len(sizes)-1] < head.Seq)
		return err
	})
	return pending
}

// deliverAcceptance hands a fresh acceptance to the employer now.
func (n *Node) deliverAcceptance(ctx context.Context, c *contract.Contract) error {
	nw := n.network()
	if nw == nil {
		return errNoNetwork
	}
	emp := c.Offer.EmployerPeerID()
	if err := nw.host.Connect(ctx, emp, parseAddrs(c.Offer.EmployerAddrs)...); err != nil {
		return n.unreachable("employer", err)
	}
	return nw.svc.DeliverAcceptance(ctx, emp, c.ID(), c.Acceptance.Signed(), n.pairingProof(c.ID()))
}

// ErrUnreachable: the counterpart could not be dialled. Being offline is
// normal for a desktop, so callers word it calmly and the next sync retries.
var ErrUnreachable = errors.New("not reachable right now")

// unreachable says in one line that the counterpart is offline; the
// dialer's details go to the log, not to the person.
func (n *Node) unreachable(who string, err error) error {
	n.log.Warn("sync: cannot reach the "+who, "err", err)
	return fmt.Errorf("the %s is %w (offline, or no address works); the next sync tries again", who, ErrUnreachable)
}
