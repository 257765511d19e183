package node

import (
	"github.com/workdiary/workdiary/internal/identity"
)

// IdentityInfo is what `workdiary id --json` prints and the Settings screen
// shows.
type IdentityInfo struct {
	Name         string   `json:"name"`
	PeerID       string   `json:"peer_id"`
	Fingerprint  string   `json:"fingerprint"`
	Addrs        []string `json:"addrs"`
	SSHPublicKey string   `json:"ssh_public_key"`
	DataFolder   string   `json:"data_folder"`
}

// IdentityInfo describes the installation's identity.
func (n *Node) IdentityInfo() (IdentityInfo, error) {
	id, err := n.Identity()
	if err != nil {
		return IdentityInfo{}, err
	}
	return n.infoOf(id), nil
}

func (n *Node) infoOf(id *identity.Identity) IdentityInfo {
	return IdentityInfo{
		Name:         id.Name,
		PeerID:       id.PeerID().String(),
		Fingerprint:  id.Fingerprint(),
		Addrs:        n.advertiseAddrs(),
		SSHPublicKey: id.SSHPublicKey(),
		DataFolder:   n.Home,
	}
}
