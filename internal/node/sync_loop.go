package node

import (
	"context"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

// SyncEvery auto-approves (when the setting is on) and syncs every active
// contract now and then every interval, and
// a contract at once when it has new approvals (see pushSoon), until ctx
// ends or the node closes (Close waits for the loop). report sees each
// contract's result.
func (n *Node) SyncEvery(ctx context.Context, every time.Duration, report func(SyncResult)) {
	n.mu.Lock()
	if n.kick == nil {
		n.kick = make(chan string, 16)
	}
	kick := n.kick
	n.mu.Unlock()
	n.goBackground(ctx, func(ctx context.Context) {
		t := time.NewTicker(every)
		defer t.Stop()
		ref := ""
		for {
			n.AutoApprove()
			res, err := n.Sync(ctx, SyncParams{Contract: ref}, nil)
			if err != nil && ctx.Err() == nil {
				n.log.Debug("sync loop: no round", "err", err)
			}
			for _, r := range res {
				n.log.Debug("sync loop: round", "contract", shortRef(r.Contract), "role", r.Role, "seq", r.Seq, "error", r.Error)
				if report != nil {
					report(r)
				}
			}
			select {
			case <-ctx.Done():
				return
			case <-t.C:
				ref = ""
			case ref = <-kick:
			}
		}
	})
}

// pushSoon asks the sync loop (if one runs) to send a contract's new
// entries now: approvals reach an online employer at once.
func (n *Node) pushSoon(c *contract.Contract) {
	n.mu.RLock()
	kick := n.kick
	n.mu.RUnlock()
	if kick == nil {
		return
	}
	select {
	case kick <- c.ID().String():
	default:
	}
}
