package p2p

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/libp2p/go-libp2p/core/protocol"
)

// protoEcho is a test protocol: every frame comes back unchanged.
const protoEcho protocol.ID = "/workdiary/test-echo/1.0.0"

// loopback listen addresses per transport; port 0 so tests never collide.
var loopback = map[string]string{
	"tcp":  "/ip4/127.0.0.1/tcp/0",
	"quic": "/ip4/127.0.0.1/udp/0/quic-v1",
}

// allowSet is an Allower that tests change as they go.
type allowSet struct {
	mu sync.Mutex
	m  map[peer.ID]bool
}

func allow(ids ...peer.ID) *allowSet {
	a := &allowSet{m: map[peer.ID]bool{}}
	for _, id := range ids {
		a.m[id] = true
	}
	return a
}

func (a *allowSet) Allowed(p peer.ID) bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.m[p]
}

func (a *allowSet) add(p peer.ID) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.m[p] = true
}

// logBuf collects a host's log lines; safe to write after the test ended,
// unlike t.Log.
type logBuf struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuf) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *logBuf) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

func newKey(t testing.TB) crypto.PrivKey {
	t.Helper()
	k, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	return k
}

func peerOf(t testing.TB, k crypto.PrivKey) peer.ID {
	t.Helper()
	id, err := peer.IDFromPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// testConfig listens on loopback only, with every discovery and NAT
// feature off.
func testConfig(key crypto.PrivKey, transport string, allow Allower) (Config, *logBuf) {
	logs := &logBuf{}
	return Config{
		Key:         key,
		ListenAddrs: []string{loopback[transport]},
		Allow:       allow,
		Logger:      slog.New(slog.NewTextHandler(logs, nil)),
		DialTimeout: 5 * time.Second,
	}, logs
}

func newPeerID(t testing.TB) peer.ID { return peerOf(t, newKey(t)) }

func startHost(t testing.TB, cfg Config) *Host {
	t.Helper()
	h, err := New(context.Background(), cfg)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() { h.Close() })
	return h
}

// echo serves protoEcho.
func echo(ctx context.Context, s network.Stream) {
	st := NewStream(ctx, s)
	for {
		b, err := st.Read()
		if errors.Is(err, io.EOF) {
			st.Close()
			return
		}
		if err != nil {
			return // already reset
		}
		if err := st.Write(b); err != nil {
			return
		}
	}
}

// roundTrip sends msgs over proto to p and returns what came back.
func roundTrip(ctx context.Context, h *Host, p peer.ID, proto protocol.ID, msgs ...[]byte) ([][]byte, error) {
	s, err := h.Open(ctx, p, proto)
	if err != nil {
		return nil, err
	}
	st := NewStream(ctx, s)
	for _, m := range msgs {
		if err := st.Write(m); err != nil {
			return nil, err
		}
	}
	if err := st.CloseWrite(); err != nil {
		return nil, err
	}
	var got [][]byte
	for {
		b, err := st.Read()
		if errors.Is(err, io.EOF) {
			return got, st.Close()
		}
		if err != nil {
			return got, err
		}
		got = append(got, b)
	}
}

func eventually(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(5 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func mustContain(t testing.TB, logs *logBuf, want string) {
	t.Helper()
	if !strings.Contains(logs.String(), want) {
		t.Errorf("log does not mention %s; got:\n%s", want, logs.String())
	}
}
