package p2p

import (
	"context"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peerstore"
	mocknet "github.com/libp2p/go-libp2p/p2p/net/mock"
)

// A partition (the link cut, connections dropped) makes Open fail with an
// error promptly instead of hanging, and Online reports it.
func TestPartitionFailsOpenCleanly(t *testing.T) {
	mn := mocknet.New()
	defer mn.Close()
	h1, err := mn.GenPeer()
	if err != nil {
		t.Fatal(err)
	}
	h2, err := mn.GenPeer()
	if err != nil {
		t.Fatal(err)
	}
	if err := mn.LinkAll(); err != nil {
		t.Fatal(err)
	}
	cfg1, _ := testConfig(nil, "tcp", allow(h2.ID()))
	cfg2, _ := testConfig(nil, "tcp", allow(h1.ID()))
	cfg1, cfg2 = cfg1.withDefaults(), cfg2.withDefaults()
	ctx := context.Background()
	a, err := wrap(ctx, h1, cfg1, newGate(cfg1.Allow, cfg1.Clock, cfg1.Logger, nil), newNetState())
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := wrap(ctx, h2, cfg2, newGate(cfg2.Allow, cfg2.Clock, cfg2.Logger, nil), newNetState())
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	b.Handle(protoEcho, echo)
	b.Handle(protoStall, func(ctx context.Context, s network.Stream) { <-ctx.Done() })
	h1.Peerstore().AddAddrs(h2.ID(), h2.Addrs(), peerstore.PermanentAddrTTL)

	if got, err := roundTrip(ctx, a, b.ID(), protoEcho, []byte("before")); err != nil || len(got) != 1 {
		t.Fatalf("before the partition: got %q, %v", got, err)
	}
	// A read in progress when the partition hits; mocknet streams ignore
	// deadlines, so what ends it is the connection going away.
	s, err := a.Open(ctx, b.ID(), protoStall)
	if err != nil {
		t.Fatal(err)
	}
	reading := make(chan error, 1)
	go func() {
		_, err := NewStream(ctx, s).Read()
		reading <- err
	}()

	if err := mn.UnlinkPeers(h1.ID(), h2.ID()); err != nil {
		t.Fatal(err)
	}
	if err := mn.DisconnectPeers(h1.ID(), h2.ID()); err != nil {
		t.Fatal(err)
	}
	eventually(t, "a sees b offline", func() bool { return !a.Online(b.ID()) })
	select {
	case err := <-reading:
		if err == nil {
			t.Errorf("read across the partition: got a frame, want an error")
		}
	case <-time.After(5 * time.Second):
		t.Fatal("read in progress hung after the partition")
	}

	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	start := time.Now()
	s, err = a.Open(ctx, b.ID(), protoEcho)
	if err == nil {
		s.Reset()
		t.Fatal("open across a partition: got a stream, want an error")
	}
	if elapsed := time.Since(start); elapsed > 5*time.Second {
		t.Errorf("open across a partition took %v, want a prompt failure", elapsed)
	}
	t.Logf("open across a partition: %v", err)
}
