package reach

import (
	"os"
	"strings"

	dht "github.com/libp2p/go-libp2p-kad-dht"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/workdiary/workdiary/internal/p2p"
)

// EnvBootstrap overrides the bootstrap list: comma-separated multiaddrs
// ending in /p2p/ID. Tests and labs point it at their own helper nodes.
const EnvBootstrap = "WORKDIARY_BOOTSTRAP"

// Bootstrap is the list of peers to join the DHT through: the
// environment's when set, else the configured list, else the public
// libp2p bootstrap peers.
func Bootstrap(configured []string) ([]peer.AddrInfo, error) {
	list := configured
	if env, ok := os.LookupEnv(EnvBootstrap); ok {
		list = nil
		for _, s := range strings.Split(env, ",") {
			if s = strings.TrimSpace(s); s != "" {
				list = append(list, s)
			}
		}
		if len(list) == 0 {
			return nil, nil
		}
	}
	if len(list) == 0 {
		return dht.GetDefaultBootstrapPeerAddrInfos(), nil
	}
	return p2p.ParsePeers("bootstrap peer", list)
}
