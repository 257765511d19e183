package contract

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/store"
)

// An acceptance becomes a contract only with proof of the invite's
// pairing secret, while the offer is open.
func TestPairingNeedsTheInvite(t *testing.T) {
	emp, dana, erin := newIdentity(t, "Acme"), newIdentity(t, "Dana"), newIdentity(t, "Erin")
	offer := func(t *testing.T) (*Registry, *Contract) {
		r := NewRegistry(openStore(t, t.TempDir()))
		c, err := r.Offer(testTerms(), emp, nil, t0)
		if err != nil {
			t.Fatal(err)
		}
		return r, c
	}
	accept := func(t *testing.T, code string) *Contract {
		c, err := NewRegistry(openStore(t, t.TempDir())).AcceptOffline(code, dana, nil, t0.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	t.Run("invite carries the secret", func(t *testing.T) {
		r, offered := offer(t)
		if !strings.HasPrefix(offered.Invite(), "wdinv2-") {
			t.Fatalf("invite %.12s…: want a version 2 invite", offered.Invite())
		}
		c := accept(t, offered.Invite())
		got, err := r.RecordAcceptance(c.Acceptance.Signed(), c.PairingProof(dana.PeerID()), t0.Add(time.Hour))
		if err != nil || got.State != StateActive {
			t.Fatalf("with the invite's proof: %v, %v; want active", got, err)
		}
	})
	t.Run("refusals", func(t *testing.T) {
		_, offered := offer(t)
		c := accept(t, offered.Invite())
		good := c.PairingProof(dana.PeerID())
		wrong := append([]byte(nil), good...)
		wrong[0] ^= 1
		withoutSecret := accept(t, offered.Offer.Invite()) // the signed offer alone, as an old invite
		tests := []struct {
			name  string
			proof []byte
			at    time.Time
			prep  func(r *Registry)
			want  error
		}{
			{"no proof", nil, t0, nil, ErrNotInvited},
			{"wrong proof", wrong, t0, nil, ErrNotInvited},
			{"another peer's proof", offered.PairingProof(erin.PeerID()), t0, nil, ErrNotInvited},
			{"offer without its secret", withoutSecret.PairingProof(dana.PeerID()), t0, nil, ErrNotInvited},
			{"expired", good, t0.Add(OfferValidity + time.Hour), nil, ErrOfferExpired},
			{"withdrawn", good, t0, func(r *Registry) {
				if _, err := r.Withdraw(offered.ID()); err != nil {
					t.Fatal(err)
				}
			}, ErrWithdrawn},
		}
		for _, tt := range tests {
			t.Run(tt.name, func(t *testing.T) {
				r := NewRegistry(openStore(t, t.TempDir()))
				if err := r.st.Update(func(x *store.Txn) error { return put(x, offered) }); err != nil {
					t.Fatal(err)
				}
				if tt.prep != nil {
					tt.prep(r)
				}
				_, err := r.RecordAcceptance(c.Acceptance.Signed(), tt.proof, tt.at)
				if !errors.Is(err, tt.want) {
					t.Fatalf("got %v, want %v", err, tt.want)
				}
				if got, _ := r.Get(offered.ID()); got.Acceptance != nil {
					t.Error("the refused acceptance was recorded")
				}
			})
		}
	})
	t.Run("withdraw only an open offer", func(t *testing.T) {
		r, offered := offer(t)
		c := accept(t, offered.Invite())
		if _, err := r.RecordAcceptance(c.Acceptance.Signed(), c.PairingProof(dana.PeerID()), t0); err != nil {
			t.Fatal(err)
		}
		if _, err := r.Withdraw(offered.ID()); err == nil {
			t.Error("an accepted contract was withdrawn")
		}
	})
	t.Run("the secret survives a reopen", func(t *testing.T) {
		dir := t.TempDir()
		st := openStore(t, dir)
		offered, err := NewRegistry(st).Offer(testTerms(), emp, nil, t0)
		if err != nil {
			t.Fatal(err)
		}
		if err := st.Close(); err != nil {
			t.Fatal(err)
		}
		again, err := NewRegistry(openStore(t, dir)).Get(offered.ID())
		if err != nil || again.Invite() != offered.Invite() {
			t.Fatalf("after reopen the invite changed (%v)", err)
		}
	})
}
