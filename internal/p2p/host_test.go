package p2p

import (
	"bytes"
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/network"
	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
)

var transports = []string{"tcp", "quic"}

// Counterparts connect and exchange frames; strangers are refused in both
// directions, by the gate itself and not only by our own pre-checks.
func TestGateAndEcho(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			ka, kb, kc := newKey(t), newKey(t), newKey(t)
			ida, idb, idc := peerOf(t, ka), peerOf(t, kb), peerOf(t, kc)

			cfgA, logsA := testConfig(ka, tr, allow(idb))
			a := startHost(t, cfgA)
			a.Handle(protoEcho, echo)
			var mu sync.Mutex
			var events []bool
			a.OnPeer(func(p peer.ID, online bool) {
				if p == idb {
					mu.Lock()
					events = append(events, online)
					mu.Unlock()
				}
			})
			cfgB, _ := testConfig(kb, tr, allow(ida))
			b := startHost(t, cfgB)
			// The stranger allows a, so its own gate lets it dial: what
			// refuses it must be a's.
			cfgC, _ := testConfig(kc, tr, allow(ida))
			c := startHost(t, cfgC)

			msgs := [][]byte{[]byte("hello"), {}, bytes.Repeat([]byte{7}, 200<<10)}
			if _, err := b.Open(ctx, ida, protoEcho); !errors.Is(err, ErrNoAddrs) {
				t.Fatalf("open before any address is known: got %v, want ErrNoAddrs", err)
			}
			if err := b.Connect(ctx, ida, a.Addrs()...); err != nil {
				t.Fatalf("counterpart connect: %v", err)
			}
			got, err := roundTrip(ctx, b, ida, protoEcho, msgs...)
			if err != nil {
				t.Fatalf("echo: %v", err)
			}
			if len(got) != len(msgs) {
				t.Fatalf("echo: got %d frames, want %d", len(got), len(msgs))
			}
			for i := range msgs {
				if !bytes.Equal(got[i], msgs[i]) {
					t.Errorf("frame %d: got %d bytes, want %d", i, len(got[i]), len(msgs[i]))
				}
			}
			if !a.Online(idb) || !b.Online(ida) {
				t.Errorf("online: a sees b %v, b sees a %v; want both true", a.Online(idb), b.Online(ida))
			}
			eventually(t, "a's OnPeer hears b come online", func() bool {
				mu.Lock()
				defer mu.Unlock()
				return len(events) > 0 && events[0]
			})

			// Inbound: c dials a, a's gate refuses after the handshake.
			if err := c.Connect(ctx, ida, a.Addrs()...); !errors.Is(err, ErrRefused) {
				t.Fatalf("stranger dialing in: got %v, want ErrRefused", err)
			}
			if a.Online(idc) || a.Refusals() == 0 {
				t.Errorf("after inbound stranger: online %v, refusals %d; want false, > 0", a.Online(idc), a.Refusals())
			}
			mustContain(t, logsA, idc.String())

			// Outbound: a's own Connect refuses without dialing, and so does
			// its gate when asked to dial directly.
			if err := a.Connect(ctx, idc, c.Addrs()...); !errors.Is(err, ErrNotAllowed) {
				t.Errorf("a.Connect(stranger): got %v, want ErrNotAllowed", err)
			}
			before := a.Refusals()
			err = a.Libp2p().Connect(ctx, peer.AddrInfo{ID: idc, Addrs: c.Libp2p().Addrs()})
			if err == nil || a.Online(idc) {
				t.Errorf("libp2p dial to stranger: err %v, online %v; want refused", err, a.Online(idc))
			}
			if a.Refusals() <= before {
				t.Errorf("libp2p dial to stranger: refusals %d, want > %d", a.Refusals(), before)
			}

			b.Close()
			eventually(t, "a's OnPeer hears b go offline", func() bool {
				mu.Lock()
				defer mu.Unlock()
				return len(events) > 1 && !events[len(events)-1]
			})
		})
	}
}

// A pairing ticket admits one unknown peer once, on both sides, and
// expires; AnyPeer admits the first unknown peer only.
func TestPairing(t *testing.T) {
	for _, tr := range transports {
		t.Run(tr, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			clk := clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
			ke, kg := newKey(t), newKey(t)
			ide, idg := peerOf(t, ke), peerOf(t, kg)

			cfgE, _ := testConfig(ke, tr, allow())
			cfgE.Clock = clk
			emp := startHost(t, cfgE)
			emp.Handle(ProtoPair, echo)
			emp.Handle(protoEcho, echo)
			cfgG, _ := testConfig(kg, tr, nil)
			cfgG.Clock = clk
			guest := startHost(t, cfgG)

			if err := guest.Connect(ctx, ide, emp.Addrs()...); !errors.Is(err, ErrNotAllowed) {
				t.Fatalf("guest before pairing: got %v, want ErrNotAllowed", err)
			}
			until := clk.Now().Add(10 * time.Minute)
			guest.ExpectPairing(ide, until)
			if err := guest.Connect(ctx, ide, emp.Addrs()...); !errors.Is(err, ErrRefused) {
				t.Fatalf("guest paired on one side only: got %v, want ErrRefused", err)
			}
			emp.ExpectPairing(idg, until)
			guest.ExpectPairing(ide, until) // its ticket was used by the refused dial
			if err := guest.Connect(ctx, ide, emp.Addrs()...); err != nil {
				t.Fatalf("paired guest: %v", err)
			}
			got, err := roundTrip(ctx, guest, ide, ProtoPair, []byte("acceptance"))
			if err != nil || len(got) != 1 || string(got[0]) != "acceptance" {
				t.Fatalf("pair exchange: got %q, %v", got, err)
			}
			if _, err := roundTrip(ctx, guest, ide, protoEcho, []byte("x")); err == nil {
				t.Errorf("guest on a counterpart-only protocol: served, want reset")
			}

			// The tickets are spent: a second connection is refused.
			guest.Libp2p().Network().ClosePeer(ide)
			eventually(t, "guest disconnected", func() bool { return !emp.Online(idg) })
			guest.ExpectPairing(ide, until)
			if err := guest.Connect(ctx, ide, emp.Addrs()...); !errors.Is(err, ErrRefused) {
				t.Errorf("second connection on a spent ticket: got %v, want ErrRefused", err)
			}

			// An expired ticket admits nobody.
			emp.ExpectPairing(idg, clk.Now().Add(time.Minute))
			guest.ExpectPairing(ide, clk.Now().Add(time.Hour))
			clk.Advance(2 * time.Minute)
			if err := guest.Connect(ctx, ide, emp.Addrs()...); !errors.Is(err, ErrRefused) {
				t.Errorf("expired ticket: got %v, want ErrRefused", err)
			}
		})
	}
}

func TestPairingAnyPeer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ke := newKey(t)
	ide := peerOf(t, ke)
	cfgE, _ := testConfig(ke, "tcp", nil)
	emp := startHost(t, cfgE)
	emp.ExpectPairing(AnyPeer, time.Now().Add(time.Hour))

	var guests []*Host
	for range 2 {
		k := newKey(t)
		cfg, _ := testConfig(k, "tcp", nil)
		g := startHost(t, cfg)
		g.ExpectPairing(ide, time.Now().Add(time.Hour))
		guests = append(guests, g)
	}
	if err := guests[0].Connect(ctx, ide, emp.Addrs()...); err != nil {
		t.Fatalf("first unknown peer on an open invite: %v", err)
	}
	if err := guests[1].Connect(ctx, ide, emp.Addrs()...); !errors.Is(err, ErrRefused) {
		t.Errorf("second unknown peer on a spent open invite: got %v, want ErrRefused", err)
	}
	// AnyPeer never lets us dial out to an unknown peer.
	if err := emp.Connect(ctx, guests[1].ID(), guests[1].Addrs()...); !errors.Is(err, ErrNotAllowed) {
		t.Errorf("dialing out on an open invite: got %v, want ErrNotAllowed", err)
	}
}

// A counterpart announced on the LAN is dialed; a stranger is not.
func TestFoundOnLAN(t *testing.T) {
	ka, kb, kc := newKey(t), newKey(t), newKey(t)
	ida, idb, idc := peerOf(t, ka), peerOf(t, kb), peerOf(t, kc)
	cfgA, _ := testConfig(ka, "tcp", allow(idb))
	a := startHost(t, cfgA)
	cfgB, _ := testConfig(kb, "tcp", allow(ida))
	b := startHost(t, cfgB)
	cfgC, _ := testConfig(kc, "tcp", allow(ida))
	c := startHost(t, cfgC)

	a.found(peer.AddrInfo{ID: idc, Addrs: c.Libp2p().Addrs()})
	a.found(peer.AddrInfo{ID: idb, Addrs: b.Libp2p().Addrs()})
	eventually(t, "a connects to the counterpart found on the LAN", func() bool { return a.Online(idb) })
	if a.Online(idc) || len(a.Libp2p().Peerstore().Addrs(idc)) != 0 {
		t.Errorf("stranger found on the LAN: online %v, addresses kept %v; want neither",
			a.Online(idc), a.Libp2p().Peerstore().Addrs(idc))
	}
}

// A handler that panics costs its stream, not the node.
func TestHandlerPanicKeepsServing(t *testing.T) {
	a, b, logs := pairOfHostsLogged(t)
	const protoBoom = "/workdiary/test-boom/1.0.0"
	a.Handle(protoBoom, func(context.Context, network.Stream) { panic("boom") })
	a.Handle(protoEcho, echo)
	ctx := context.Background()
	if _, err := roundTrip(ctx, b, a.ID(), protoBoom, []byte("x")); err == nil {
		t.Errorf("panicking handler: exchange succeeded, want an error")
	}
	if got, err := roundTrip(ctx, b, a.ID(), protoEcho, []byte("still here")); err != nil || len(got) != 1 {
		t.Errorf("after a handler panicked: got %q, %v", got, err)
	}
	eventually(t, "the panic is logged with its value", func() bool {
		return strings.Contains(logs.String(), `msg="handler panicked"`) && strings.Contains(logs.String(), "panic=boom")
	})
}
