package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/syncstore"
)

// newSyncStore wires sync's storage (syncstore) to this node: its store,
// contracts, identity, clock and logger, and the node's announcements,
// which stay the node's alone.
func (n *Node) newSyncStore() *syncstore.Adapter {
	return syncstore.New(syncstore.Deps{
		Store:     n.store,
		Contracts: n.Contracts(),
		Identity:  n.Identity,
		Clock:     n.Clock,
		Log:       n.log,
		SignCheckpoint: func(c *contract.Contract, logID ledger.LogID) ([]byte, error) {
			st, err := n.signCheckpoint(c, logID)
			return []byte(st.Checkpoint), err
		},
		PairingProof: n.pairingProof,
		BindRecord: func(id contract.ID, record []byte, now time.Time) error {
			me, err := n.Identity()
			if err != nil {
				return err
			}
			return n.bindOwn(id, me, record, now)
		},
		Synced:           func(id contract.ID, seq uint64) { n.noteSync(id, seq, nil) },
		ContractsChanged: func() { n.announce(TopicContractsChanged, nil) },
		DiaryChanged:     func() { n.announce(TopicDiaryChanged, nil) },
	})
}
