//go:build e2e && linux

package e2e

import (
	"context"
	"crypto/ed25519"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/p2p"
	"github.com/workdiary/workdiary/internal/syncp2p"
	"github.com/workdiary/workdiary/internal/syncstore"
)

// answeringEmployer is the employer's real store behind the sync protocol,
// except that while forged is set it answers the contractor's week closes
// with forged instead of what its copy cosigns.
type answeringEmployer struct {
	*syncstore.Adapter
	mu     sync.Mutex
	forged [][]byte
}

func (a *answeringEmployer) CosignCloses(id contract.ID, notes [][]byte) ([][]byte, error) {
	a.mu.Lock()
	forged := a.forged
	a.mu.Unlock()
	if forged != nil {
		return forged, nil
	}
	return a.Adapter.CosignCloses(id, notes)
}

func (a *answeringEmployer) forge(notes ...[]byte) {
	a.mu.Lock()
	defer a.mu.Unlock()
	a.forged = notes
}

// A dishonest employer, on the live sync with its real key and store,
// answers the contractor's week closes with closes the contractor must not
// keep as closing its week: one signed by another key under the
// contractor's name, one the employer alone signed, and one the
// contractor's own key signed at a size its log does not give (at one
// entry less, with the digest of all the week's entries). The
// contractor's node refuses each with the reason and keeps no close; the
// honest answer then closes the week on both sides.
func TestDishonestEmployerCloseAnswers(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	year, wk := time.Now().UTC().AddDate(0, 0, -21).ISOWeek()
	monday := isoMonday(year, wk)
	clk := clocktest.New(monday.Add(9 * time.Hour))
	emp, con := offlineNode(t, clk, "Employer"), offlineNode(t, clk, "Contractor")
	offer, err := emp.OfferContract(node.OfferParams{Title: "Close answers", Rate: "50.00", Currency: "EUR", Screenshots: 1, ManualTime: true})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := con.AcceptContract(ctx, node.AcceptParams{Code: offer.Invite, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	cid := acc.Contract.ID

	// The employer's side: its real store and key on a host of its own.
	boss, _ := emp.Identity()
	side := &answeringEmployer{Adapter: syncstore.New(syncstore.Deps{Store: emp.Store(), Contracts: emp.Contracts(), Identity: emp.Identity, Clock: clk})}
	h, err := p2p.New(ctx, p2p.Config{Key: boss.Libp2pKey(), ListenAddrs: []string{"/ip4/127.0.0.1/tcp/0"},
		Allow: p2p.AllowFunc(func(peer.ID) bool { return true }), DialTimeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { h.Close() })
	(&syncp2p.Service{Host: h, Sender: side.Adapter, Receiver: side, Clock: clk}).Register()
	must(t, p2p.NewAddrBook(con.Store(), clk).Remember(boss.PeerID(), h.Addrs()...))
	must(t, con.StartNetwork(ctx, node.NetOptions{Listen: []string{"/ip4/127.0.0.1/tcp/0"}}))

	syncNow := func() node.SyncResult {
		t.Helper()
		if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
			t.Fatal(err)
		}
		res, err := con.Sync(ctx, node.SyncParams{}, nil)
		if err != nil || len(res) != 1 {
			t.Fatalf("sync: %+v %v", res, err)
		}
		return res[0]
	}
	closed := func(n *node.Node) []node.ClosedWeek {
		t.Helper()
		st, err := n.LogStatus(cid)
		if err != nil {
			t.Fatal(err)
		}
		return st.Closed
	}
	clk.Advance(48 * time.Hour) // Wednesday
	for i, from := range []time.Time{monday.Add(9 * time.Hour), monday.Add(33 * time.Hour)} {
		if _, err := con.AddManual(node.ManualParams{Contract: cid, From: from, To: from.Add(time.Duration(20+10*i) * time.Minute), Memo: "work"}); err != nil {
			t.Fatal(err)
		}
	}
	if res := syncNow(); res.Error != "" {
		t.Fatalf("the first sync: %+v", res)
	}
	clk.Advance(monday.AddDate(0, 0, 8).Add(2 * time.Hour).Sub(clk.Now())) // past the week's deadline

	c, err := con.Contracts().Resolve(cid)
	if err != nil {
		t.Fatal(err)
	}
	me, _ := con.Identity()
	logID := ledger.LogIDOf(c.ID(), me.PublicKey())
	log := storedLog(t, con, logID)
	honest := ledger.NewWeekClose(logID, log, monday.Unix(), monday.AddDate(0, 0, 7).Unix(), c.Acceptance.Signed())
	// At one entry less, with the digest of all the week's entries.
	short := ledger.NewWeekClose(logID, log[:len(log)-1], monday.Unix(), monday.AddDate(0, 0, 7).Unix(), c.Acceptance.Signed())
	short.Digest = honest.Digest
	_, strangerKey, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	cosigned := func(w ledger.WeekClose, key ed25519.PrivateKey, name string) []byte {
		t.Helper()
		note, err := ledger.SignWeekClose(key, name, w)
		must(t, err)
		note, err = ledger.Cosign(note, boss.PrivateKey(), boss.PeerID().String())
		must(t, err)
		return note
	}
	before := closed(con) // the week before the contract's first closed at the first sync
	for _, a := range []struct {
		name, want string
		note       []byte
	}{
		{"a close another key signed under the contractor's name", "not signed by a known key", cosigned(honest, strangerKey, me.PeerID().String())},
		{"a close the employer alone signed", "not signed by a known key", cosigned(honest, boss.PrivateKey(), boss.PeerID().String())},
		{"a close of another size the log does not give", "this log gives", cosigned(short, me.PrivateKey(), me.PeerID().String())},
	} {
		side.forge(a.note)
		res := syncNow()
		if !strings.Contains(res.Error, a.want) {
			t.Errorf("%s: the round ended %+v, want refused with %q", a.name, res, a.want)
		}
		if got := closed(con); !slices.Equal(got, before) {
			t.Fatalf("%s: the contractor holds %+v closed, want %+v as before", a.name, got, before)
		}
		t.Logf("%s: refused: %s", a.name, res.Error)
	}
	side.forge()
	if res := syncNow(); res.Error != "" {
		t.Fatalf("the honest answer: %+v", res)
	}
	if got, want := closed(con), closed(emp); len(got) != len(before)+1 || !slices.Equal(got, want) {
		t.Fatalf("after the honest answer: the contractor holds %+v closed, the employer %+v", got, want)
	}
}
