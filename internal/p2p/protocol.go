package p2p

import "github.com/libp2p/go-libp2p/core/protocol"

// Workdiary's stream protocols. The version is part of the ID so that an
// incompatible change is a new protocol that old peers cleanly refuse.
const (
	// ProtoSync carries entries, checkpoints and contract messages.
	ProtoSync protocol.ID = "/workdiary/sync/1.0.0"
	// ProtoBlob carries images by hash.
	ProtoBlob protocol.ID = "/workdiary/blob/1.0.0"
	// ProtoPair carries the acceptance of an invite between a contractor
	// and an employer that do not share a contract yet.
	ProtoPair protocol.ID = "/workdiary/pair/1.0.0"
)

// mdnsService is the DNS-SD service name announced on the LAN; a name of
// our own keeps other libp2p applications from discovering us (they would
// be refused by the gate anyway).
const mdnsService = "_workdiary._udp"
