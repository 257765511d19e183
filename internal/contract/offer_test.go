package contract

import (
	"bytes"
	"errors"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/identity"
)

func TestTermsValidate(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Terms)
		want   string // substring of the error; "" = valid
	}{
		{"default", func(*Terms) {}, ""},
		{"no limit, 3 shots, webcam", func(t *Terms) { t.WeeklyLimitHours, t.Screenshots, t.Webcam = 0, 3, WebcamOptional }, ""},
		{"screenshots 4", func(t *Terms) { t.Screenshots = 4 }, "screenshots per 10 minutes is 4"},
		{"screenshots -1", func(t *Terms) { t.Screenshots = -1 }, "screenshots"},
		{"negative rate", func(t *Terms) { t.RateMinor = -1 }, "negative"},
		{"lower-case currency", func(t *Terms) { t.Currency = "usd" }, "currency"},
		{"long currency", func(t *Terms) { t.Currency = "USDT" }, "currency"},
		{"empty title", func(t *Terms) { t.Title = "" }, "title"},
		{"padded title", func(t *Terms) { t.Title = " x " }, "title"},
		{"control in title", func(t *Terms) { t.Title = "a\x1bb" }, "title"},
		{"weekly limit 169", func(t *Terms) { t.WeeklyLimitHours = 169 }, "weekly limit"},
		{"blur 3", func(t *Terms) { t.Blur = 3 }, "policy"},
		{"webcam without screenshots", func(t *Terms) { t.Screenshots, t.Webcam = 0, WebcamOptional }, "webcam"},
		{"week start past the week", func(t *Terms) { t.WeekStart = minutesPerWeek }, "week start"},
	}
	for _, tt := range tests {
		terms := testTerms()
		tt.change(&terms)
		err := terms.Validate()
		if tt.want == "" {
			if err != nil {
				t.Errorf("%s: Validate = %v, want nil", tt.name, err)
			}
			continue
		}
		if !errors.Is(err, ErrInvalidTerms) || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Validate = %v, want ErrInvalidTerms mentioning %q", tt.name, err, tt.want)
		}
	}
}

func TestNewOffer(t *testing.T) {
	emp := newIdentity(t, "Acme Ltd")
	o := newTestOffer(t, emp)
	if o.ID() != idOf(o.Signed()) {
		t.Errorf("ID = %s, want SHA-256 of the signed bytes", o.ID())
	}
	if got, want := o.EmployerPeerID(), emp.PeerID(); got != want {
		t.Errorf("EmployerPeerID = %s, want %s", got, want)
	}
	if o.EmployerName != "Acme Ltd" || !o.EmployerKey.Equal(emp.PublicKey()) || !o.CreatedAt.Equal(t0) {
		t.Errorf("employer fields = %q %x %v", o.EmployerName, o.EmployerKey, o.CreatedAt)
	}
	if o.Terms != testTerms() {
		t.Errorf("terms = %+v, want %+v", o.Terms, testTerms())
	}
	if len(o.ID().String()) != 64 || o.ID().Short() != o.ID().String()[:12] {
		t.Errorf("ID forms %q / %q", o.ID(), o.ID().Short())
	}
	again := newTestOffer(t, emp)
	if again.ID() == o.ID() || again.Nonce == o.Nonce {
		t.Error("two offers with identical terms have the same ID; the nonce must differ")
	}
	back, err := DecodeOffer(o.Signed())
	if err != nil || back.ID() != o.ID() || back.Terms != o.Terms {
		t.Fatalf("DecodeOffer(Signed) = %+v, %v", back, err)
	}
}

func TestNewOfferAddrs(t *testing.T) {
	emp := newIdentity(t, "Acme")
	other := newIdentity(t, "Other")
	tests := []struct {
		addr string
		want string // canonical form; "" = refused
	}{
		{"/ip4/127.0.0.1/tcp/4001", "/ip4/127.0.0.1/tcp/4001"},
		{"/ip4/127.0.0.1/udp/4001/quic-v1", "/ip4/127.0.0.1/udp/4001/quic-v1"},
		{"/ip4/127.0.0.1/tcp/4001/p2p/" + emp.PeerID().String(), "/ip4/127.0.0.1/tcp/4001/p2p/" + emp.PeerID().String()},
		{"/ip4/127.0.0.1/tcp/4001/p2p/" + other.PeerID().String(), ""},
		{"/ip4/999.0.0.1/tcp/1", ""},
		{"127.0.0.1:4001", ""},
		{"", ""},
	}
	for _, tt := range tests {
		o, err := NewOffer(testTerms(), emp, []string{tt.addr}, t0)
		if tt.want == "" {
			if !errors.Is(err, ErrInvalidTerms) {
				t.Errorf("addr %q: err = %v, want ErrInvalidTerms", tt.addr, err)
			}
			continue
		}
		if err != nil || len(o.EmployerAddrs) != 1 || o.EmployerAddrs[0] != tt.want {
			t.Errorf("addr %q: got %v, %v; want [%s]", tt.addr, o, err, tt.want)
		}
	}
}

// TestDecodeOfferRefuses builds well-signed offers with bad contents: the
// checks must hold against a malicious employer, not only a careless one.
func TestDecodeOfferRefuses(t *testing.T) {
	emp := newIdentity(t, "Acme")
	other := newIdentity(t, "Mallory")
	good := newTestOffer(t, emp).wire()
	tests := []struct {
		name   string
		signer *identity.Identity
		change func(*offerWire)
		want   error
	}{
		{"valid", emp, func(*offerWire) {}, nil},
		{"screenshots 4", emp, func(w *offerWire) { w.Screenshots = 4 }, ErrInvalidTerms},
		{"negative rate", emp, func(w *offerWire) { w.RateMinor = -100 }, ErrInvalidTerms},
		{"bad currency", emp, func(w *offerWire) { w.Currency = "us$" }, ErrInvalidTerms},
		{"bad multiaddr", emp, func(w *offerWire) { w.EmployerAddrs = []string{"/ip4/1.2.3/tcp/1"} }, ErrInvalidTerms},
		{"non-canonical multiaddr", emp, func(w *offerWire) { w.EmployerAddrs = []string{"/ip4/127.0.0.1/tcp/04001"} }, ErrInvalidTerms},
		{"weekday 0", emp, func(w *offerWire) { w.WeekDay = 0 }, ErrInvalidTerms},
		{"short nonce", emp, func(w *offerWire) { w.Nonce = w.Nonce[:8] }, ErrInvalidTerms},
		{"zero created-at", emp, func(w *offerWire) { w.CreatedAt = 0 }, ErrInvalidTerms},
		{"short key", emp, func(w *offerWire) { w.EmployerKey = w.EmployerKey[:31] }, ErrInvalidTerms},
		{"signed by someone else", other, func(*offerWire) {}, ErrWrongSigner},
		{"acceptance kind", emp, func(w *offerWire) { w.Kind = kindAcceptance }, ErrWrongKind},
		{"newer version", emp, func(w *offerWire) { w.Version = 2 }, ErrNewerVersion},
		{"version 0", emp, func(w *offerWire) { w.Version = 0 }, ErrMalformed},
		{"unverified policy 3", emp, func(w *offerWire) { w.Unverified = 3 }, ErrInvalidTerms},
		{"unverified exclude", emp, func(w *offerWire) { w.Unverified = uint8(UnverifiedExclude) }, nil},
	}
	for _, tt := range tests {
		w := good
		w.Nonce = bytes.Clone(good.Nonce)
		tt.change(&w)
		_, err := DecodeOffer(resign(t, tt.signer, w))
		if !errors.Is(err, tt.want) || (tt.want != nil && err == nil) {
			t.Errorf("%s: DecodeOffer err = %v, want %v", tt.name, err, tt.want)
		}
	}
}

func TestDecodeOfferUnknownField(t *testing.T) {
	emp := newIdentity(t, "Acme")
	payload, err := cose.Marshal(newTestOffer(t, emp).wire())
	if err != nil {
		t.Fatal(err)
	}
	var m map[int]any
	if err := cose.Unmarshal(payload, &m); err != nil {
		t.Fatal(err)
	}
	m[99] = "surprise"
	if _, err := DecodeOffer(resign(t, emp, m)); !errors.Is(err, ErrMalformed) {
		t.Errorf("offer with field 99: err = %v, want ErrMalformed", err)
	}
	delete(m, 99)
	delete(m, 18)
	if _, err := DecodeOffer(resign(t, emp, m)); !errors.Is(err, ErrMalformed) {
		t.Errorf("offer without field 18: err = %v, want ErrMalformed", err)
	}
}
