package main

import (
	"context"
	"encoding/binary"
	"math"

	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/workdiary/workdiary/internal/p2p"
)

// frameAttacks break the framing under the messages: lengths beyond any
// cap, bytes that are no frame or no message, frames that end early.
// Each is sent whole and the stream closed for writing, so the node has
// all it will ever get and must answer now.
func frameAttacks() []attack {
	huge := lengthThen(math.MaxUint32, 64<<10)
	overPair := lengthThen(p2p.DefaultMaxFrame+1, 64<<10) // the pairing protocol keeps the default cap
	cut := append(binary.BigEndian.AppendUint32(nil, 1000), "ten bytes."...)
	http := []byte("GET / HTTP/1.1\r\nHost: workdiary\r\n\r\n")
	return []attack{
		{"oversized/sync-first-frame", asStranger, rawOn(asStranger, p2p.ProtoSync, huge)},
		{"oversized/sync-after-hello", asParty, rawAfterHave(huge)},
		{"oversized/blob", asParty, rawOn(asParty, p2p.ProtoBlob, huge)},
		{"oversized/pair", asStranger, rawOn(asStranger, p2p.ProtoPair, overPair)},
		{"garbage/sync", asStranger, rawOn(asStranger, p2p.ProtoSync, randomBytes(4096))},
		{"garbage/sync-http-request", asStranger, rawOn(asStranger, p2p.ProtoSync, http)},
		{"garbage/sync-empty-frame", asStranger, rawOn(asStranger, p2p.ProtoSync, framed(nil))},
		{"garbage/sync-frame-not-cbor", asParty, rawAfterHave(framed([]byte("\xff\xfe this is not CBOR")))},
		{"garbage/blob", asParty, rawOn(asParty, p2p.ProtoBlob, randomBytes(4096))},
		{"garbage/pair", asStranger, rawOn(asStranger, p2p.ProtoPair, randomBytes(4096))},
		{"truncated/sync-after-hello", asParty, rawAfterHave(cut)},
		{"truncated/blob", asParty, rawOn(asParty, p2p.ProtoBlob, cut)},
		{"truncated/pair", asStranger, rawOn(asStranger, p2p.ProtoPair, cut)},
	}
}

// lengthThen is a frame header announcing size bytes, followed by filler
// bytes of the payload.
func lengthThen(size uint32, filler int) []byte {
	return append(binary.BigEndian.AppendUint32(nil, size), make([]byte, filler)...)
}

func framed(b []byte) []byte { return append(binary.BigEndian.AppendUint32(nil, uint32(len(b))), b...) }

// rawOn opens proto as role and writes b as it is.
func rawOn(role string, proto protocol.ID, b []byte) func(context.Context, *kit) verdict {
	return exchange(role, proto, func(k *kit, c *conv) verdict { return writeThenJudge(c, b) })
}

// rawAfterHave greets the node as the party first, so the bytes reach the
// middle of a sync.
func rawAfterHave(b []byte) func(context.Context, *kit) verdict {
	return exchange(asParty, p2p.ProtoSync, func(k *kit, c *conv) verdict {
		if _, v := c.have(k.party.contractID()); v != nil {
			return *v
		}
		return writeThenJudge(c, b)
	})
}

func writeThenJudge(c *conv, b []byte) verdict {
	if err := c.write(b); err != nil {
		return ended(err)
	}
	return c.verdict()
}
