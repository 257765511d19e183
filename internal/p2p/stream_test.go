package p2p

import (
	"bytes"
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/protocol"
)

const protoStall protocol.ID = "/workdiary/test-stall/1.0.0"

// pairOfHosts starts two counterparts on loopback TCP, connected.
func pairOfHosts(t *testing.T) (a, b *Host) {
	a, b, _ = pairOfHostsLogged(t)
	return a, b
}

func pairOfHostsLogged(t *testing.T) (a, b *Host, logsA *logBuf) {
	t.Helper()
	ka, kb := newKey(t), newKey(t)
	cfgA, logsA := testConfig(ka, "tcp", allow(peerOf(t, kb)))
	cfgB, _ := testConfig(kb, "tcp", allow(peerOf(t, ka)))
	a, b = startHost(t, cfgA), startHost(t, cfgB)
	if err := b.Connect(context.Background(), a.ID(), a.Addrs()...); err != nil {
		t.Fatal(err)
	}
	return a, b, logsA
}

// A peer that stops sending makes Read fail at the deadline, not hang, and
// the stream is Reset so the peer learns the exchange is over.
func TestStreamReadDeadlineResets(t *testing.T) {
	a, b := pairOfHosts(t)
	peerSaw := make(chan error, 1)
	a.Handle(protoStall, func(ctx context.Context, s network.Stream) {
		// Stall: read nothing, send nothing, until our side is reset.
		buf := make([]byte, 1)
		_, err := s.Read(buf)
		peerSaw <- err
	})
	ctx := context.Background()
	s, err := b.Open(ctx, a.ID(), protoStall)
	if err != nil {
		t.Fatal(err)
	}
	st := NewStream(ctx, s)
	st.Timeout = 200 * time.Millisecond
	start := time.Now()
	_, err = st.Read()
	elapsed := time.Since(start)
	var ne net.Error
	if !errors.As(err, &ne) || !ne.Timeout() {
		t.Fatalf("read from a stalled peer: got %v, want a timeout", err)
	}
	if elapsed < 150*time.Millisecond || elapsed > 5*time.Second {
		t.Errorf("read returned after %v, want about the 200ms deadline", elapsed)
	}
	select {
	case err := <-peerSaw:
		if !errors.Is(err, network.ErrReset) {
			t.Errorf("stalled peer saw %v, want a reset", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("stalled peer never learned the stream was reset")
	}
	if err := st.Write([]byte("late")); err == nil {
		t.Errorf("write after reset: got nil, want an error")
	}
}

// Cancelling the context resets the stream, unblocking a read in progress.
func TestStreamContextCancelResets(t *testing.T) {
	a, b := pairOfHosts(t)
	a.Handle(protoStall, func(ctx context.Context, s network.Stream) {
		<-ctx.Done()
	})
	ctx, cancel := context.WithCancel(context.Background())
	s, err := b.Open(ctx, a.ID(), protoStall)
	if err != nil {
		t.Fatal(err)
	}
	st := NewStream(ctx, s)
	done := make(chan error, 1)
	go func() {
		_, err := st.Read()
		done <- err
	}()
	time.Sleep(50 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, network.ErrReset) {
			t.Errorf("read after cancel: got %v, want a reset", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("read did not return after the context was cancelled")
	}
}

// A frame over the cap is refused before it is sent.
func TestStreamWriteOverCap(t *testing.T) {
	st := echoStream(t)
	st.MaxFrame = 8
	if err := st.Write(make([]byte, 9)); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("write over the cap: got %v, want ErrFrameTooLarge", err)
	}
	if err := st.WriteFrames([]byte("ok"), make([]byte, 9)); !errors.Is(err, ErrFrameTooLarge) {
		t.Errorf("WriteFrames over the cap: got %v, want ErrFrameTooLarge", err)
	}
}

// KeepAlive moves a pending read's deadline: a peer that answers only
// after several timeouts' worth of silence is still heard, as long as the
// exchange shows progress elsewhere meanwhile.
func TestStreamKeepAliveExtendsPendingRead(t *testing.T) {
	a, b := pairOfHosts(t)
	const timeout = 200 * time.Millisecond
	a.Handle(protoStall, func(ctx context.Context, s network.Stream) {
		peer := NewStream(ctx, s)
		time.Sleep(4 * timeout) // busy elsewhere, then answer
		_ = peer.Write([]byte("ack"))
		_ = peer.Close()
	})
	ctx := context.Background()
	s, err := b.Open(ctx, a.ID(), protoStall)
	if err != nil {
		t.Fatal(err)
	}
	st := NewStream(ctx, s)
	st.Timeout = timeout
	stop := make(chan struct{})
	defer close(stop)
	go func() {
		tick := time.NewTicker(timeout / 4)
		defer tick.Stop()
		for {
			select {
			case <-stop:
				return
			case <-tick.C:
				st.KeepAlive()
			}
		}
	}()
	got, err := st.Read()
	if err != nil || string(got) != "ack" {
		t.Fatalf("read while kept alive: %q, %v; want the late ack", got, err)
	}
}

// WriteFrames and WriteBefore put several frames in one write; the peer
// reads them as the frames Write would have sent, and too little room is
// refused before anything is sent (a frame over the cap: above).
func TestStreamWritesSeveralFrames(t *testing.T) {
	st := echoStream(t)
	big := make([]byte, 200<<10) // over readChunk: Write would send it in two writes
	for i := range big {
		big[i] = byte(i % 251)
	}
	room := 64
	buf := append(make([]byte, room), big...)
	want := [][]byte{{}, []byte("one"), []byte("two"), []byte("head"), big}
	if err := st.WriteFrames(want[0], want[1], want[2]); err != nil {
		t.Fatal(err)
	}
	if err := st.WriteBefore(want[3], buf, room); err != nil {
		t.Fatal(err)
	}
	for i, w := range want {
		got, err := st.Read()
		if err != nil || !bytes.Equal(got, w) {
			t.Fatalf("frame %d: %d bytes, %v; want %d bytes as sent", i, len(got), err, len(w))
		}
	}
	if err := st.WriteBefore(make([]byte, room-RoomBefore+1), buf, room); err == nil {
		t.Error("WriteBefore with too little room: no error")
	}

}

// echoStream is a stream to a counterpart that echoes every frame.
func echoStream(t *testing.T) *Stream {
	t.Helper()
	a, b := pairOfHosts(t)
	a.Handle(protoEcho, echo)
	ctx := context.Background()
	s, err := b.Open(ctx, a.ID(), protoEcho)
	if err != nil {
		t.Fatal(err)
	}
	return NewStream(ctx, s)
}
