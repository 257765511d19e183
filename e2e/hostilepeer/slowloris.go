package main

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/libp2p/go-libp2p/core/protocol"
	"github.com/workdiary/workdiary/internal/p2p"
)

// trickleEvery is how often a slow-loris stream sends its next byte:
// often enough to look alive, far too slowly to finish a frame.
const trickleEvery = time.Second

// slowLorisAttacks hold streams open without ever finishing a frame,
// silent or a byte a second. The node must cut each on its own read
// deadline; they run alongside every other attack (and the honest
// contractor's syncs), which the node must keep serving meanwhile.
func slowLorisAttacks() []attack {
	frame := lengthThen(200, 196)
	return []attack{
		{"slow-loris/sync-silent", asParty, holdOpen(asParty, p2p.ProtoSync, false, nil)},
		{"slow-loris/sync-trickle", asStranger, holdOpen(asStranger, p2p.ProtoSync, false, frame)},
		{"slow-loris/batch-trickle", asParty, holdOpen(asParty, p2p.ProtoSync, true, frame)},
		{"slow-loris/blob-trickle", asParty, holdOpen(asParty, p2p.ProtoBlob, false, frame)},
		{"slow-loris/pair-silent", asStranger, holdOpen(asStranger, p2p.ProtoPair, false, nil)},
	}
}

// hold is what became of one held stream.
type hold struct {
	held   bool // the node let the stream open
	cut    bool
	after  time.Duration
	reason string
}

// holdOpen holds the configured number of streams at once; the attack is
// refused when the node cut every one of them.
func holdOpen(role string, proto protocol.ID, greet bool, trickle []byte) func(context.Context, *kit) verdict {
	return func(ctx context.Context, k *kit) verdict {
		var wg, opened sync.WaitGroup
		var holding atomic.Int32
		holds := make([]hold, k.opts.streams)
		for i := range holds {
			opened.Add(1)
			wg.Go(func() {
				holds[i] = k.hold(ctx, role, proto, greet, trickle, func(held bool) {
					if held {
						holding.Add(1)
					}
					opened.Done()
				})
			})
		}
		opened.Wait()
		if n := holding.Load(); n > 0 {
			k.logger.Info("slow-loris: holding streams", "count", n, "proto", proto, "as", role)
		}
		wg.Wait()
		var last hold
		for _, h := range holds {
			if !h.cut {
				return verdict{Reason: h.reason}
			}
			if h.after >= last.after {
				last = h
			}
		}
		if !last.held {
			return verdict{Refused: true, Reason: last.reason}
		}
		return verdict{Refused: true, Reason: fmt.Sprintf("the node cut all %d streams, the last after %s: %s",
			len(holds), last.after.Round(100*time.Millisecond), last.reason)}
	}
}

// hold opens one stream, greets as the party if asked, then trickles bytes
// until the node cuts the stream or the limit passes. opened is told once
// whether the stream is being held.
func (k *kit) hold(ctx context.Context, role string, proto protocol.ID, greet bool, trickle []byte, opened func(held bool)) hold {
	var once sync.Once
	defer once.Do(func() { opened(false) })
	ctx, cancel := context.WithTimeout(ctx, k.opts.holdFor+k.opts.answerIn)
	defer cancel()
	c, refused := k.openAs(ctx, role, proto)
	if refused != nil {
		return hold{cut: refused.Refused, reason: refused.Reason}
	}
	defer c.st.Reset()
	start := time.Now()
	if greet {
		if _, v := c.have(k.party.contractID()); v != nil {
			if v.Ended {
				// The node ended the stream under the greeting: with more
				// streams held than one peer may have, it closes the
				// oldest, which is the cut this attack waits for.
				return hold{held: true, cut: true, after: time.Since(start), reason: v.Reason}
			}
			return hold{reason: "the attack did not run: the node refused the party's greeting: " + v.Reason}
		}
	}
	raw := c.st.Raw()
	_ = raw.SetReadDeadline(start.Add(k.opts.holdFor + time.Second))
	cut := make(chan error, 1)
	go func() {
		buf := make([]byte, 512)
		for {
			if _, err := raw.Read(buf); err != nil {
				cut <- err
				return
			}
		}
	}()
	once.Do(func() { opened(true) })
	tick := time.NewTicker(trickleEvery)
	defer tick.Stop()
	limit := time.NewTimer(k.opts.holdFor)
	defer limit.Stop()
	for {
		select {
		case err := <-cut:
			return hold{held: true, cut: true, after: time.Since(start), reason: err.Error()}
		case <-limit.C:
			return hold{reason: fmt.Sprintf("a %s stream was still open after %s: the node does not time out slow peers", proto, k.opts.holdFor)}
		case <-ctx.Done():
			return hold{reason: "interrupted: " + ctx.Err().Error()}
		case <-tick.C:
			if len(trickle) == 0 {
				continue
			}
			_ = raw.SetWriteDeadline(time.Now().Add(trickleEvery))
			if _, err := raw.Write(trickle[:1]); err != nil {
				return hold{held: true, cut: true, after: time.Since(start), reason: err.Error()}
			}
			trickle = trickle[1:]
		}
	}
}
