package node

import (
	"context"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

// SyncEvery auto-approves (when the setting is on) and syncs every active
// contract now and then every interval, and
// a contract at once when it has new approvals (see pushSoon), until ctx
// ends. report sees each contract's result.
func (n *Node) SyncEvery(ctx context.Context, every time.Duration, report func(SyncResult)) {
	n.mu.Lock()
	if n.kick == nil {
		n.kick = make(chan string, 16)
	}
	kick := n.kick
	n.mu.Unlock()
	go func() {
		t := time.NewTicker(every)
		defer t.Stop()
		ref := ""
		for {
			n.AutoApprove()
			res, _ := n.Sync(ctx, SyncParams{Contract: ref}, nil)
			for _, r := range res {
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
	}()
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
