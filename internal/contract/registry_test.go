package contract

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/store"
)

// TestRegistryOfflineAccept is the whole story on two installations:
// the employer offers, the contractor accepts offline, the acceptance waits
// in the outbox across a restart, is delivered and recorded.
func TestRegistryOfflineAccept(t *testing.T) {
	clk := clocktest.New(t0)
	emp, con := newIdentity(t, "Acme"), newIdentity(t, "Dana")
	empReg := NewRegistry(openStore(t, t.TempDir()))
	offered, err := empReg.Offer(testTerms(), emp, []string{employerAddr}, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if offered.State != StateOffered || offered.Role != RoleEmployer || offered.Counterpart().Name != "" {
		t.Errorf("offered: state %v role %v counterpart %q", offered.State, offered.Role, offered.Counterpart().Name)
	}

	conDir := t.TempDir()
	conStore := openStore(t, conDir)
	clk.Advance(2 * time.Hour)
	c, err := NewRegistry(conStore).AcceptOffline(offered.Invite(), con, nil, clk.Now())
	if err != nil {
		t.Fatal(err)
	}
	if c.ID() != offered.ID() || c.State != StateAcceptedPending || c.Role != RoleContractor {
		t.Errorf("accepted: id %s state %v role %v", c.ID().Short(), c.State, c.Role)
	}
	if err := conStore.Close(); err != nil {
		t.Fatal(err)
	}

	conReg := NewRegistry(openStore(t, conDir))
	pending, err := conReg.PendingAcceptances()
	if err != nil || len(pending) != 1 || pending[0].ContractID != c.ID() ||
		pending[0].Offer.EmployerPeerID() != emp.PeerID() || pending[0].Offer.EmployerAddrs[0] != employerAddr {
		t.Fatalf("after reopen: pending = %+v, %v; want the one acceptance", pending, err)
	}
	list, err := conReg.List()
	if err != nil || len(list) != 1 || list[0].State != StateAcceptedPending || list[0].Counterpart().Name != "Acme" {
		t.Fatalf("after reopen: list = %v, %v", list, err)
	}

	// The sync layer delivers it; the employer records it twice (a retry).
	for range 2 {
		got, err := empReg.RecordAcceptance(pending[0].Acceptance, c.PairingProof(con.PeerID()), clk.Now())
		if err != nil || got.State != StateActive || got.Counterpart().Name != "Dana" {
			t.Fatalf("RecordAcceptance = %+v, %v; want active with Dana", got, err)
		}
	}
	if err := conReg.MarkDelivered(c.ID()); err != nil {
		t.Fatal(err)
	}
	if pending, _ := conReg.PendingAcceptances(); len(pending) != 0 {
		t.Errorf("after delivery: %d pending, want 0", len(pending))
	}
	if got, _ := conReg.Get(c.ID()); got.State != StateActive {
		t.Errorf("contractor state after delivery = %v, want active", got.State)
	}
}

func TestRegistryAcceptRefusals(t *testing.T) {
	emp, con := newIdentity(t, "Acme"), newIdentity(t, "Dana")
	empReg := NewRegistry(openStore(t, t.TempDir()))
	offered, err := empReg.Offer(testTerms(), emp, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	code := offered.Invite()
	conReg := NewRegistry(openStore(t, t.TempDir()))

	typo := byte('x')
	if code[40] == typo {
		typo = 'y' // a replacement that is really a change
	}
	badSig := offered.Offer.Signed()
	badSig[len(badSig)-1] ^= 1
	tests := []struct {
		name string
		code string
		want error
	}{
		{"truncated", code[:len(code)-3], ErrTypo},
		{"typo", code[:40] + string(typo) + code[41:], ErrTypo},
		{"tampered", encodeInvite(badSig, nil), ErrBadSignature},
		{"not an invite", "hello", ErrNotInvite},
	}
	for _, tt := range tests {
		if _, err := conReg.AcceptOffline(tt.code, con, nil, t0); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	expectStored(t, conReg, 0, 0)

	if _, err := empReg.AcceptOffline(code, emp, nil, t0); !errors.Is(err, ErrOwnOffer) {
		t.Errorf("employer accepts own offer: err = %v, want ErrOwnOffer", err)
	}
	expectStored(t, empReg, 1, 0)

	if _, err := conReg.AcceptOffline(code, con, nil, t0); err != nil {
		t.Fatal(err)
	}
	_, err = conReg.AcceptOffline(code, con, nil, t0.Add(time.Minute))
	if !errors.Is(err, ErrAlreadyAccepted) || !strings.Contains(err.Error(), offered.ID().Short()) {
		t.Errorf("accept twice: err = %v, want ErrAlreadyAccepted naming the contract", err)
	}
	expectStored(t, conReg, 1, 1)
}

func expectStored(t *testing.T, r *Registry, contracts, pending int) {
	t.Helper()
	list, err := r.List()
	if err != nil || len(list) != contracts {
		t.Errorf("List = %d contracts, %v; want %d", len(list), err, contracts)
	}
	p, err := r.PendingAcceptances()
	if err != nil || len(p) != pending {
		t.Errorf("PendingAcceptances = %d, %v; want %d", len(p), err, pending)
	}
}

func TestRecordAcceptanceRefusals(t *testing.T) {
	emp, dana, erin := newIdentity(t, "Acme"), newIdentity(t, "Dana"), newIdentity(t, "Erin")
	empReg := NewRegistry(openStore(t, t.TempDir()))
	offered, err := empReg.Offer(testTerms(), emp, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	unknown := newTestOffer(t, emp)
	first, _ := Accept(offered.Offer, dana, nil, t0)
	second, _ := Accept(offered.Offer, erin, nil, t0)
	stranger, _ := Accept(unknown, dana, nil, t0)
	if _, err := empReg.RecordAcceptance(first.Signed(), offered.PairingProof(dana.PeerID()), t0); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name   string
		signed []byte
		want   error
	}{
		{"second contractor", second.Signed(), ErrAlreadyAccepted},
		{"unknown contract", stranger.Signed(), ErrNotFound},
		{"an offer", offered.Offer.Signed(), ErrWrongKind},
	}
	for _, tt := range tests {
		if _, err := empReg.RecordAcceptance(tt.signed, offered.PairingProof(erin.PeerID()), t0); !errors.Is(err, tt.want) {
			t.Errorf("%s: err = %v, want %v", tt.name, err, tt.want)
		}
	}
	if c, _ := empReg.Get(offered.ID()); c.Counterpart().Name != "Dana" {
		t.Errorf("counterpart = %q after refusals, want Dana", c.Counterpart().Name)
	}
}

func TestRegistryListResolveJSON(t *testing.T) {
	emp := newIdentity(t, "Acme")
	reg := NewRegistry(openStore(t, t.TempDir()))
	var ids []ID
	for i, at := range []time.Time{t0.Add(time.Hour), t0, t0.Add(2 * time.Hour)} {
		terms := testTerms()
		terms.Title = []string{"B", "A", "C"}[i]
		c, err := reg.Offer(terms, emp, nil, at)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, c.ID())
	}
	list, err := reg.List()
	if err != nil {
		t.Fatal(err)
	}
	var titles string
	for _, c := range list {
		titles += c.Offer.Title
	}
	if titles != "ABC" {
		t.Errorf("List order = %s, want ABC (by created time)", titles)
	}

	if c, err := reg.Resolve(strings.ToUpper(ids[0].Short())); err != nil || c.ID() != ids[0] {
		t.Errorf("Resolve(short) = %v, %v", c, err)
	}
	if c, err := reg.Resolve(ids[1].String()); err != nil || c.ID() != ids[1] {
		t.Errorf("Resolve(full) = %v, %v", c, err)
	}
	if _, err := reg.Resolve(unusedPrefix(ids)); !errors.Is(err, ErrNotFound) {
		t.Errorf("Resolve(no match) = %v, want ErrNotFound", err)
	}
	if _, err := reg.Resolve("xyz1"); err == nil {
		t.Error("Resolve(non-hex) succeeded")
	}
	if _, err := reg.Resolve(ids[0].String()[:2]); err == nil {
		t.Error("Resolve of 2 characters succeeded, want at least 4")
	}

	b, err := json.Marshal(list[0].ListItem(t0))
	if err != nil {
		t.Fatal(err)
	}
	want := `{"id":"` + list[0].ID().String() + `","title":"A","role":"employer","counterpart":"",` +
		`"rate":"35.00","currency":"USD","weekly_limit_hours":40,"state":"offered","week_zone":"UTC"}`
	if string(b) != want {
		t.Errorf("JSON = %s\nwant   %s", b, want)
	}
}

// TestResolveAmbiguous makes offers in memory until two IDs share their
// first 4 hex characters (a few hundred, by the birthday bound), stores
// those two, and asks for the shared prefix.
func TestResolveAmbiguous(t *testing.T) {
	emp := newIdentity(t, "Acme")
	reg := NewRegistry(openStore(t, t.TempDir()))
	seen := map[string]*Offer{}
	for {
		o := newTestOffer(t, emp)
		p := o.ID().String()[:minPrefixLen]
		first, dup := seen[p]
		if !dup {
			seen[p] = o
			continue
		}
		err := reg.st.Update(func(x *store.Txn) error {
			if err := put(x, &Contract{Offer: first, Role: RoleEmployer, State: StateOffered}); err != nil {
				return err
			}
			return put(x, &Contract{Offer: o, Role: RoleEmployer, State: StateOffered})
		})
		if err != nil {
			t.Fatal(err)
		}
		_, err = reg.Resolve(p)
		if !errors.Is(err, ErrAmbiguous) || !strings.Contains(err.Error(), "matches 2 contracts") {
			t.Errorf("Resolve(%s) = %v, want ErrAmbiguous naming 2 contracts", p, err)
		}
		if c, err := reg.Resolve(o.ID().Short()); err != nil || c.ID() != o.ID() {
			t.Errorf("Resolve(%s) = %v, %v; want the second offer", o.ID().Short(), c, err)
		}
		return
	}
}

// unusedPrefix returns a 4-character prefix none of ids starts with.
func unusedPrefix(ids []ID) string {
	for _, p := range []string{"0000", "ffff", "1234"} {
		used := false
		for _, id := range ids {
			used = used || strings.HasPrefix(id.String(), p)
		}
		if !used {
			return p
		}
	}
	panic("unreachable")
}
