package node_test

import (
	"bufio"
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"io"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"
	"github.com/libp2p/go-libp2p/core/peer"
	ma "github.com/multiformats/go-multiaddr"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/p2p"
)

// logLines runs a text logger at level debug into a pipe and passes on
// each line it writes, as the node's goroutines write them.
func logLines(t *testing.T) (*slog.Logger, <-chan string) {
	t.Helper()
	r, w := io.Pipe()
	t.Cleanup(func() { w.Close() })
	lines := make(chan string, 1024)
	go func() {
		sc := bufio.NewScanner(r)
		for sc.Scan() {
			select {
			case lines <- sc.Text():
			default: // a test that stopped reading does not stall the node
			}
		}
	}()
	l, err := node.NewLogger(w, "debug", "text")
	if err != nil {
		t.Fatal(err)
	}
	return l, lines
}

// The logger given at open reaches the parts the node starts: a stranger
// refused by the host's gate is logged there, as a warning from p2p
// naming the peer.
func TestLoggerRecordsRefusalWithPeer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	logger, lines := logLines(t)
	n := openNetworked(t, ctx, clocktest.New(monday), "Erin", node.WithLogger(logger))
	defer n.Close()
	info, err := n.IdentityInfo()
	if err != nil {
		t.Fatal(err)
	}
	key, _, err := crypto.GenerateEd25519Key(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	stranger, err := p2p.New(ctx, p2p.Config{Key: key, ListenAddrs: listenOn("tcp"),
		Allow: p2p.AllowFunc(func(peer.ID) bool { return true }), Logger: slog.New(slog.DiscardHandler)})
	if err != nil {
		t.Fatal(err)
	}
	defer stranger.Close()
	target, err := peer.Decode(info.PeerID)
	if err != nil {
		t.Fatal(err)
	}
	if err := stranger.Connect(ctx, target, multiaddrs(t, info.Addrs)...); !errors.Is(err, p2p.ErrRefused) {
		t.Fatalf("a stranger connecting: got %v, want ErrRefused", err)
	}
	want := []string{"level=WARN", `msg="refused a connection: no shared contract and no pending invite"`,
		"component=p2p", "peer=" + stranger.ID().String()}
	var seen []string
	timeout := time.After(5 * time.Second)
	for {
		select {
		case line := <-lines:
			seen = append(seen, line)
			if containsAll(line, want) {
				if !strings.Contains(strings.Join(seen, "\n"), `msg="network started"`) {
					t.Errorf("the node's debug log does not say the network started:\n%s", strings.Join(seen, "\n"))
				}
				return
			}
		case <-timeout:
			t.Fatalf("the node's log lacks a line with %q:\n%s", want, strings.Join(seen, "\n"))
		}
	}
}

// openNetworked opens a node with an identity and starts its network on
// loopback, with options such as a logger.
func openNetworked(t *testing.T, ctx context.Context, clk *clocktest.Fake, name string, opts ...node.Option) *node.Node {
	t.Helper()
	n, err := node.Open(t.TempDir(), "test", clk, opts...)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := n.CreateIdentity(name); err != nil {
		t.Fatal(err)
	}
	if err := n.StartNetwork(ctx, node.NetOptions{Listen: listenOn("tcp")}); err != nil {
		t.Fatal(err)
	}
	return n
}

func multiaddrs(t *testing.T, addrs []string) []ma.Multiaddr {
	t.Helper()
	var out []ma.Multiaddr
	for _, s := range addrs {
		a, err := ma.NewMultiaddr(s)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, a)
	}
	return out
}

func containsAll(line string, subs []string) bool {
	for _, sub := range subs {
		if !strings.Contains(line, sub) {
			return false
		}
	}
	return true
}

func TestNewLogger(t *testing.T) {
	for _, c := range []struct {
		level, format string
		ok            bool
		shows, hides  string // a record at this level is written / not
	}{
		{"", "", true, "WARN", "INFO"},
		{"debug", "text", true, "DEBUG", ""},
		{"INFO", "json", true, "INFO", "DEBUG"},
		{"error", "text", true, "ERROR", "WARN"},
		{"verbose", "text", false, "", ""},
		{"info", "xml", false, "", ""},
	} {
		var buf bytes.Buffer
		l, err := node.NewLogger(&buf, c.level, c.format)
		if (err == nil) != c.ok {
			t.Errorf("NewLogger(%q, %q): error %v, want ok %v", c.level, c.format, err, c.ok)
			continue
		}
		if !c.ok {
			continue
		}
		for _, lv := range []slog.Level{slog.LevelDebug, slog.LevelInfo, slog.LevelWarn, slog.LevelError} {
			l.Log(context.Background(), lv, "m-"+lv.String())
		}
		if !strings.Contains(buf.String(), "m-"+c.shows) {
			t.Errorf("NewLogger(%q, %q) dropped a %s record:\n%s", c.level, c.format, c.shows, buf.String())
		}
		if c.hides != "" && strings.Contains(buf.String(), "m-"+c.hides) {
			t.Errorf("NewLogger(%q, %q) wrote a %s record:\n%s", c.level, c.format, c.hides, buf.String())
		}
		if c.format == "json" && !strings.HasPrefix(buf.String(), "{") {
			t.Errorf("NewLogger json wrote %q", buf.String())
		}
	}
}
