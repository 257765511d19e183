package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/contract"
)

// AutoApprove approves, on every contractor contract, the recorded segments
// older than the contractor's auto-approve setting (off when 0, the
// default): for people who prefer to curate within a window and let the
// rest go.
func (n *Node) AutoApprove() {
	hours := n.Config().AutoApproveHours
	if hours <= 0 {
		return
	}
	cs, err := n.Contracts().List()
	if err != nil {
		return
	}
	through := n.Clock.Now().Add(-time.Duration(hours) * time.Hour)
	for _, c := range cs {
		if c.Role != contract.RoleContractor || (c.State != contract.StateActive && c.State != contract.StateAcceptedPending) {
			continue
		}
		// Approve announces the change to the window.
		if _, err := n.Approve(ApproveParams{Contract: c.ID().String(), Through: through}); err != nil {
			n.log.Warn("auto-approve failed", "contract", c.ID().Short(), "err", err)
		}
	}
}

// SetAutoApproveHours changes the auto-approve setting (0 = off) and saves
// it in the data folder.
func (n *Node) SetAutoApproveHours(hours int) error {
	return n.changeConfig(func(cfg config.Config) (config.Config, error) {
		cfg.AutoApproveHours = max(hours, 0)
		return cfg, nil
	})
}
