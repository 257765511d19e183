package main

import (
	"context"
	"encoding/binary"
	"fmt"

	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/workdiary/workdiary/internal/p2p"
)

// bigFrame is a frame within every protocol's cap yet far larger than any
// hello, acceptance or image request: what a peer sends to make the node
// hold memory for it.
const bigFrame = p2p.DefaultMaxFrame - 1

// readAhead is how much a node that reads nothing may still let a peer
// write: a stream's initial flow-control window (256 KiB for yamux) with
// room to spare. A peer that gets more than this across was being read.
const readAhead = 1 << 20

// memoryAttacks send, as a stranger, one first frame of bigFrame bytes on
// each protocol and never finish it. A node that reads a whole first frame
// before it knows who is talking holds that much memory per stream, and a
// stranger may open dozens of streams from as many identities as it likes.
// The node must cut the stream at the header.
func memoryAttacks() []attack {
	return []attack{
		{"memory/sync-first-frame", asStranger, bigFirstFrame(p2p.ProtoSync)},
		{"memory/blob-first-frame", asStranger, bigFirstFrame(p2p.ProtoBlob)},
		{"memory/pair-first-frame", asStranger, bigFirstFrame(p2p.ProtoPair)},
	}
}

func bigFirstFrame(proto protocol.ID) func(context.Context, *kit) verdict {
	return exchange(asStranger, proto, func(k *kit, c *conv) verdict {
		if err := c.write(binary.BigEndian.AppendUint32(nil, bigFrame)); err != nil {
			return ended(err)
		}
		chunk := make([]byte, 64<<10)
		sent := 0
		for sent < bigFrame-len(chunk) {
			if err := c.write(chunk); err != nil {
				if sent > readAhead {
					break
				}
				return verdict{Refused: true, Reason: fmt.Sprintf("the node cut the stream after %d bytes of a %d-byte first frame: %v", sent, bigFrame, err)}
			}
			sent += len(chunk)
		}
		return verdict{Reason: fmt.Sprintf("the node read %d bytes of a %d-byte first frame from a peer it shares no contract with", sent, bigFrame)}
	})
}
