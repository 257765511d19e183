package main

import (
	"context"
	"encoding/binary"
	"fmt"

	"sync"

	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/syncp2p"
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
		{"memory/rounds-held-idle", asParty, roundsHeldIdle},
	}
}

// roundsHeldIdle opens more sync rounds at once than the node receives
// from one peer (syncp2p.MaxRoundsPerPeer), each greeting as a pushing
// contractor that understands a wait, and leaves every round it is
// admitted to idle. A node that admitted them all would let one party
// hold the slots every contractor's round needs (and a blob stream's
// muxer window each). It must tell the rounds past the cap to wait, or
// refuse them.
func roundsHeldIdle(ctx context.Context, k *kit) verdict {
	ctx, cancel := context.WithTimeout(ctx, k.opts.answerIn)
	defer cancel()
	count := syncp2p.MaxRoundsPerPeer + 1
	answers := make([]verdict, count)
	admitted := make([]bool, count)
	var wg sync.WaitGroup
	for i := range count {
		wg.Go(func() {
			c, refused := k.openAs(ctx, asParty, p2p.ProtoSync)
			if refused != nil {
				answers[i] = *refused
				return
			}
			defer c.st.Reset()
			h := hello(k.party.contractID(), false)
			h.Seq = syncp2p.MaxWaits // understands a wait
			if err := c.send(h); err != nil {
				answers[i] = ended(err)
				return
			}
			m, err := c.read()
			switch {
			case err == nil && m.Type == msgHave:
				admitted[i] = true
				<-ctx.Done() // idle, holding the slot, until every round has its answer
			case err == nil && m.Type == msgWait:
				answers[i] = verdict{Refused: true, Reason: "the node told the round to wait"}
				cancel()
			default:
				answers[i] = judge(m, err)
				if answers[i].Refused {
					cancel()
				}
			}
		})
	}
	wg.Wait()
	held := 0
	for i := range count {
		if admitted[i] {
			held++
		}
	}
	for _, v := range answers {
		if v.Refused && held <= syncp2p.MaxRoundsPerPeer {
			return verdict{Refused: true, Reason: fmt.Sprintf("%d rounds admitted; %s", held, v.Reason)}
		}
	}
	return verdict{Reason: fmt.Sprintf("the node admitted %d of %d idle rounds from one party (cap %d)", held, count, syncp2p.MaxRoundsPerPeer)}
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
