package node

import (
	"errors"
	"os"

	"github.com/workdiary/workdiary/internal/identity"
)

// OwnerStatus is what a running owner says about itself: which program it
// is, whether it is on the network and with which addresses, and each
// counterpart's last sync.
type OwnerStatus struct {
	Running    bool        `json:"running"`
	Owner      string      `json:"owner"` // "the desktop app", "workdiary serve"
	PID        int         `json:"pid"`
	DataFolder string      `json:"data_folder"`
	PeerID     string      `json:"peer_id,omitempty"`
	Online     bool        `json:"online"` // joined the network
	Addrs      []string    `json:"addrs"`
	Tracking   bool        `json:"tracking"`
	Sync       []SyncState `json:"sync"`
}

// OwnerStatus reports on this node as the owner of its folder.
func (n *Node) OwnerStatus() (OwnerStatus, error) {
	s := OwnerStatus{Running: true, Owner: n.lock.Role(), PID: os.Getpid(), DataFolder: n.Home, Addrs: []string{}, Sync: []SyncState{}}
	info, err := n.IdentityInfo()
	switch {
	case errors.Is(err, identity.ErrNoIdentity):
	case err != nil:
		return s, err
	default:
		s.PeerID = info.PeerID
	}
	if h := n.network(); h != nil {
		s.Online = true
		s.Addrs = info.Addrs
	}
	s.Tracking = n.Tracking() != nil
	if states, err := n.SyncStates(); err == nil && states != nil {
		s.Sync = states
	}
	return s, nil
}
