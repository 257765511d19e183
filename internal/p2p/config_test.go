package p2p

import (
	"context"
	"fmt"
	"testing"

	"github.com/libp2p/go-libp2p/core/network"
	rcmgr "github.com/libp2p/go-libp2p/p2p/host/resource-manager"
)

// The host runs with our limits, not libp2p's machine-scaled defaults.
func TestLimitsApplied(t *testing.T) {
	cfg, _ := testConfig(newKey(t), "tcp", nil)
	h := startHost(t, cfg)
	d := DefaultLimits()
	rm := h.Libp2p().Network().ResourceManager()
	check := func(scope string, view func(func(network.ResourceScope) error) error, conns, streams int, mem int64) {
		t.Helper()
		err := view(func(s network.ResourceScope) error {
			l := s.(rcmgr.ResourceScopeLimiter).Limit()
			got := fmt.Sprint(l.GetConnTotalLimit(), l.GetStreamTotalLimit(), l.GetMemoryLimit())
			want := fmt.Sprint(conns, streams, mem)
			if conns < 0 {
				got = fmt.Sprint(l.GetStreamTotalLimit())
				want = fmt.Sprint(streams)
			}
			if got != want {
				t.Errorf("%s limits (conns streams memory): got %s, want %s", scope, got, want)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	check("system", rm.ViewSystem, d.Conns, d.Streams, d.Memory)
	check("peer", func(f func(network.ResourceScope) error) error {
		return rm.ViewPeer(newPeerID(t), func(s network.PeerScope) error { return f(s) })
	}, -1, d.PeerStreams, 0)
}

func TestNewNeedsAKey(t *testing.T) {
	if _, err := New(context.Background(), Config{}); err == nil {
		t.Error("New without a key: got a host, want an error")
	}
}

func TestDefaultConfigTurnsFeaturesOn(t *testing.T) {
	c := DefaultConfig(newKey(t), 4242, nil, nil)
	if !c.MDNS || !c.UPnP || !c.HolePunching {
		t.Errorf("DefaultConfig: mdns %v upnp %v hole punching %v; want all on", c.MDNS, c.UPnP, c.HolePunching)
	}
	want := "[/ip4/0.0.0.0/tcp/4242 /ip4/0.0.0.0/udp/4242/quic-v1 /ip6/::/tcp/4242 /ip6/::/udp/4242/quic-v1]"
	if got := fmt.Sprint(c.ListenAddrs); got != want {
		t.Errorf("listen addrs: got %s, want %s", got, want)
	}
}

// A node with many counterparts gets room for all of them at once; a few
// keep DefaultLimits.
func TestLimitsForGrowWithCounterparts(t *testing.T) {
	if LimitsFor(10) != DefaultLimits() {
		t.Errorf("LimitsFor(10) = %+v, want DefaultLimits", LimitsFor(10))
	}
	l := LimitsFor(1250)
	if l.Conns < 2*1000 || l.Streams < 4*1000 || l.Memory < 1000*256<<10 || l.Memory > 400<<20 || l.PeerStreams != DefaultLimits().PeerStreams {
		t.Errorf("LimitsFor(1250) = %+v: want a connection pair, a few streams and a window per counterpart within 400 MiB", l)
	}
	cfg, _ := testConfig(newKey(t), "tcp", nil)
	cfg.Limits = l
	h := startHost(t, cfg)
	err := h.Libp2p().Network().ResourceManager().ViewSystem(func(s network.ResourceScope) error {
		lim := s.(rcmgr.ResourceScopeLimiter).Limit()
		if lim.GetConnTotalLimit() != l.Conns || lim.GetStreamTotalLimit() != l.Streams || lim.GetMemoryLimit() != l.Memory {
			t.Errorf("system scope: %d conns %d streams %d bytes, want %+v", lim.GetConnTotalLimit(), lim.GetStreamTotalLimit(), lim.GetMemoryLimit(), l)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Every contractor's sync stream at once, not libp2p's ~600 a protocol.
	err = h.Libp2p().Network().ResourceManager().ViewProtocol(ProtoSync, func(s network.ProtocolScope) error {
		lim := s.(rcmgr.ResourceScopeLimiter).Limit()
		if got := lim.GetStreamLimit(network.DirInbound); got != l.Streams {
			t.Errorf("sync protocol scope: %d inbound streams, want %d", got, l.Streams)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
