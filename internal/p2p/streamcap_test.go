package p2p

import (
	"context"
	"errors"
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
	var running atomic.Int32
	a.Handle(protoEcho, func(ctx context.Context, s network.Stream) {
		running.Add(1)
		defer running.Add(-1)
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
	// The node closed as many streams as were over the cap, and no more
	// (the oldest by when their handlers started, which is about, not
	// exactly, the order they were opened in).
	closed := 0
	for _, s := range streams {
		_ = s.SetReadDeadline(time.Now().Add(200 * time.Millisecond))
		_, err := s.Read(make([]byte, 1))
		var timeout interface{ Timeout() bool }
		if err != nil && !(errors.As(err, &timeout) && timeout.Timeout()) {
			closed++
		}
	}
	if want := opened - MaxStreamsPerPeer; closed != want {
		t.Errorf("the node closed %d of the peer's %d streams, want %d", closed, opened, want)
	}
	for _, s := range streams {
		s.Reset()
	}
}
