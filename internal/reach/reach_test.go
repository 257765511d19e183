package reach

import (
	"testing"
)

func TestKeyIsPrivateToTheContract(t *testing.T) {
	var a, b [32]byte
	b[31] = 1
	ka, kb := Key(a), Key(b)
	if ka.Equals(kb) {
		t.Fatal("two contracts share a rendezvous key")
	}
	if !Key(a).Equals(ka) {
		t.Fatal("the key of a contract changes between calls")
	}
	// The key is not the contract ID itself (nor its plain hash): a
	// stranger holding a contract ID from elsewhere must not find the
	// parties by hashing it the usual way.
	const want = "bafkreiey4ghz5to2jwdbunwaxu7ljwimmlapverzq34syk7r6dv3gfvuzu"
	if got := ka.String(); got != want {
		t.Errorf("key of the zero contract = %s, want %s (a changed key loses every published record)", got, want)
	}
}

func TestBootstrapSources(t *testing.T) {
	const helper = "/ip4/23.17.0.2/tcp/4001/p2p/12D3KooWEZPtAKDXYmXsMdXjgQYWxRdtf9aEqeYP2xy56abUWSy5"
	const helperQUIC = "/ip4/23.17.0.2/udp/4001/quic-v1/p2p/12D3KooWEZPtAKDXYmXsMdXjgQYWxRdtf9aEqeYP2xy56abUWSy5"
	t.Run("environment first", func(t *testing.T) {
		t.Setenv(EnvBootstrap, helper+","+helperQUIC)
		got, err := Bootstrap([]string{"/ip4/45.33.0.2/tcp/1/p2p/12D3KooWKUBK6m6q2zigtMSeebka5RSuFKx1PMqSnzewnpsp2xem"})
		if err != nil || len(got) != 1 || len(got[0].Addrs) != 2 {
			t.Fatalf("got %v, %v; want the environment's one peer with its two addresses", got, err)
		}
	})
	t.Run("empty environment joins nothing", func(t *testing.T) {
		t.Setenv(EnvBootstrap, "")
		if got, err := Bootstrap(nil); err != nil || len(got) != 0 {
			t.Fatalf("got %v, %v; want no bootstrap peer", got, err)
		}
	})
	t.Run("configured", func(t *testing.T) {
		got, err := Bootstrap([]string{helper})
		if err != nil || len(got) != 1 {
			t.Fatalf("got %v, %v", got, err)
		}
	})
	t.Run("bad address", func(t *testing.T) {
		if _, err := Bootstrap([]string{"/ip4/23.17.0.2/tcp/4001"}); err == nil {
			t.Fatal("an address without /p2p/ID was taken as a bootstrap peer")
		}
	})
}
