package p2p

import (
	"context"
	"sync/atomic"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
)

// One peer that opens many streams and leaves them hanging holds at most
// MaxStreamsPerPeer handlers at once: each new stream closes its oldest,
// so the node's memory for that peer stays bounded.
func TestStreamsPerPeerAreCapped(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ka, kb := newKey(t), newKey(t)
	ida, idb := peerOf(t, ka), peerOf(t, kb)
	cfgA, _ := testConfig(ka, "tcp", allow(idb))
	a := startHost(t, cfgA)
	var running, most atomic.Int32
	a.Handle(protoEcho, func(ctx context.Context, s network.Stream) {
		n := running.Add(1)
		defer running.Add(-1)
		for m := most.Load(); n > m && !most.CompareAndSwap(m, n); m = most.Load() {
		}
		buf := make([]byte, 1)
		_, _ = s.Read(buf) // hangs until the stream is reset
		s.Reset()
	})
	cfgB, _ := testConfig(kb, "tcp", allow(ida))
	b := startHost(t, cfgB)
	if err := b.Connect(ctx, ida, a.Addrs()...); err != nil {
		t.Fatal(err)
	}
	const opened = 3 * MaxStreamsPerPeer
	var streams []network.Stream
	for range opened {
		s, err := b.Open(ctx, ida, protoEcho)
		if err != nil {
			t.Fatal(err)
		}
		// Negotiating the protocol starts the handler; it then waits
		// for bytes that never come.
		if _, err := s.Write([]byte{}); err != nil {
			t.Fatal(err)
		}
		streams = append(streams, s)
	}
	eventually(t, "the handlers to settle", func() bool { return running.Load() == MaxStreamsPerPeer })
	// A pushed-out handler may still be returning when the next starts.
	if m := most.Load(); m > MaxStreamsPerPeer+1 {
		t.Errorf("%d handlers of one peer ran at once, want at most %d (and one on its way out)", m, MaxStreamsPerPeer)
	}
	for _, s := range streams {
		s.Reset()
	}
}
