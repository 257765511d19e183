package node

import (
	"fmt"

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
		Addrs:        n.listenAddrs(),
		SSHPublicKey: id.SSHPublicKey(),
		DataFolder:   n.Home,
	}
}

// listenAddrs are the addresses the node listens on: TCP and QUIC on the
// port chosen at init.
func (n *Node) listenAddrs() []string {
	port := n.Config().ListenPort
	if port == 0 {
		return []string{}
	}
	return []string{
		fmt.Sprintf("/ip4/0.0.0.0/tcp/%d", port),
		fmt.Sprintf("/ip4/0.0.0.0/udp/%d/quic-v1", port),
	}
}
