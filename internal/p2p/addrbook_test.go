package p2p

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	ma "github.com/multiformats/go-multiaddr"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/store"
)

func openStore(t *testing.T, dir string) *store.Store {
	t.Helper()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func addrStrings(addrs []ma.Multiaddr) []string {
	out := make([]string, len(addrs))
	for i, a := range addrs {
		out[i] = a.String()
	}
	return out
}

func TestAddrBookPersistsAndPrunes(t *testing.T) {
	dir := t.TempDir()
	clk := clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	p := peerOf(t, newKey(t))
	other := peerOf(t, newKey(t))

	st := openStore(t, dir)
	book := NewAddrBook(st, clk)
	err := book.Remember(p,
		ma.StringCast("/ip4/192.0.2.7/tcp/4001"),
		ma.StringCast("/ip4/192.0.2.7/udp/4001/quic-v1/p2p/"+p.String()), // own ID: stripped
		ma.StringCast("/ip4/0.0.0.0/tcp/4001"),                           // unspecified: skipped
		ma.StringCast("/ip4/192.0.2.9/tcp/1/p2p/"+other.String()),        // another peer's: skipped
	)
	if err != nil {
		t.Fatal(err)
	}
	clk.Advance(time.Hour)
	if err := book.Remember(p, ma.StringCast("/ip4/198.51.100.1/tcp/4001")); err != nil {
		t.Fatal(err)
	}
	if err := st.Close(); err != nil {
		t.Fatal(err)
	}

	st = openStore(t, dir)
	defer st.Close()
	book = NewAddrBook(st, clk)
	got, err := book.Addrs(p)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"/ip4/198.51.100.1/tcp/4001", "/ip4/192.0.2.7/tcp/4001", "/ip4/192.0.2.7/udp/4001/quic-v1"}
	if fmt.Sprint(addrStrings(got)) != fmt.Sprint(want) {
		t.Errorf("after reopen: got %v, want %v (newest first)", addrStrings(got), want)
	}

	// 30 days after the first sighting, only the later address is kept,
	// and Load rewrites the record without the stale ones.
	clk.Advance(DefaultAddrMaxAge - 30*time.Minute)
	all, err := book.Load()
	if err != nil {
		t.Fatal(err)
	}
	if fmt.Sprint(addrStrings(all[p])) != "[/ip4/198.51.100.1/tcp/4001]" {
		t.Errorf("after pruning: got %v, want only the recent address", addrStrings(all[p]))
	}
	var stored []addrSeen
	st.View(func(tx *store.Txn) error {
		v, err := tx.Get(addrKey(p))
		if err == nil {
			err = json.Unmarshal(v, &stored)
		}
		return err
	})
	if len(stored) != 1 {
		t.Errorf("stored record after Load: %d addresses, want 1", len(stored))
	}
	clk.Advance(time.Hour)
	if all, _ := book.Load(); len(all) != 0 {
		t.Errorf("after every address went stale: got %v, want an empty book", all)
	}
}

func TestAddrBookKeepsMostRecent(t *testing.T) {
	st := openStore(t, t.TempDir())
	defer st.Close()
	clk := clocktest.New(time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	book := NewAddrBook(st, clk)
	p := peerOf(t, newKey(t))
	for i := range maxAddrsPerPeer + 5 {
		clk.Advance(time.Minute)
		if err := book.Remember(p, ma.StringCast(fmt.Sprintf("/ip4/192.0.2.%d/tcp/4001", i+1))); err != nil {
			t.Fatal(err)
		}
	}
	got, _ := book.Addrs(p)
	if len(got) != maxAddrsPerPeer || got[0].String() != fmt.Sprintf("/ip4/192.0.2.%d/tcp/4001", maxAddrsPerPeer+5) {
		t.Errorf("got %d addresses starting %v, want %d starting with the newest", len(got), got[0], maxAddrsPerPeer)
	}
}

// Addresses learned on one run are used by Connect on the next, after the
// store was closed and reopened, with no address given.
func TestConnectUsesStoredAddrs(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	ka, kb := newKey(t), newKey(t)
	ida, idb := peerOf(t, ka), peerOf(t, kb)
	cfgA, _ := testConfig(ka, "tcp", allow(idb))
	a := startHost(t, cfgA)
	a.Handle(protoEcho, echo)

	dir := t.TempDir()
	st := openStore(t, dir)
	cfgB, _ := testConfig(kb, "tcp", allow(ida))
	cfgB.Store = st
	b, err := New(ctx, cfgB)
	if err != nil {
		t.Fatal(err)
	}
	if err := b.Connect(ctx, ida, a.Addrs()...); err != nil {
		t.Fatalf("first connect with the invite's addresses: %v", err)
	}
	b.Close()
	st.Close()

	st = openStore(t, dir)
	defer st.Close()
	cfgB.Store = st
	b, err = New(ctx, cfgB)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	if got := b.Libp2p().Peerstore().Addrs(ida); len(got) == 0 {
		t.Errorf("peerstore after restart: no addresses of the counterpart, want the stored ones")
	}
	got, err := roundTrip(ctx, b, ida, protoEcho, []byte("again"))
	if err != nil || len(got) != 1 || string(got[0]) != "again" {
		t.Fatalf("after restart, with stored addresses only: got %q, %v", got, err)
	}
	if !b.Online(ida) {
		t.Errorf("not online with %s after Open", ida)
	}
}

func TestRememberFeedsPeerstore(t *testing.T) {
	cfg, _ := testConfig(newKey(t), "tcp", nil)
	h := startHost(t, cfg)
	p := peerOf(t, newKey(t))
	if err := h.Remember(p, ma.StringCast("/ip4/192.0.2.1/tcp/9")); err != nil {
		t.Fatal(err)
	}
	if got := h.Libp2p().Peerstore().Addrs(p); len(got) != 1 {
		t.Errorf("peerstore: got %v, want the remembered address", got)
	}
}

func FuzzDecodeAddrs(f *testing.F) {
	f.Add([]byte(`[{"addr":"/ip4/1.2.3.4/tcp/1","seen":"2026-03-02T09:00:00Z"}]`))
	f.Add([]byte(`[{"addr":"nonsense"}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		list, err := decodeAddrs(data)
		if err != nil {
			return
		}
		for _, a := range list {
			if _, err := ma.NewMultiaddr(a.Addr); err != nil {
				t.Fatalf("decoded an invalid address %q", a.Addr)
			}
		}
	})
}
