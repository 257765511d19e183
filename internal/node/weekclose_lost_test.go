package node_test

import (
	"context"
	"crypto/ed25519"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
	"github.com/workdiary/workdiary/internal/syncstore"
)

// cosignHook is the employer's real store whose CosignCloses is followed
// (or replaced) by what a test does: cut the connection, or answer as a
// dishonest employer would.
type cosignHook struct {
	*syncstore.Adapter
	after func(out [][]byte) [][]byte
}

func (h cosignHook) CosignCloses(id contract.ID, notes [][]byte) ([][]byte, error) {
	out, err := h.Adapter.CosignCloses(id, notes)
	if err != nil {
		return out, err
	}
	return h.after(out), nil
}

// closePair is an employer and a contractor on loopback with an accepted
// contract and two approved segments synced in 2026-W48, the clock then
// moved past the week's deadline (Tuesday 09:00 of the next week).
func closePair(t *testing.T, ctx context.Context) (emp, con *node.Node, cid string) {
	t.Helper()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	emp = openNode(t, clk, "Erin")
	if err := emp.StartNetwork(ctx, node.NetOptions{Listen: listenOn("tcp")}); err != nil {
		t.Fatal(err)
	}
	offer, err := emp.OfferContract(node.OfferParams{Title: "Weekly", Rate: "60.00", Currency: "USD", Screenshots: 1, Webcam: true})
	if err != nil {
		t.Fatal(err)
	}
	con = openNode(t, clk, "Ada")
	if err := con.StartNetwork(ctx, node.NetOptions{Listen: listenOn("tcp")}); err != nil {
		t.Fatal(err)
	}
	acc, err := con.AcceptContract(ctx, node.AcceptParams{Code: offer.Invite})
	if err != nil || !acc.Delivered {
		t.Fatalf("accept: %+v %v", acc, err)
	}
	cid = acc.Contract.ID
	for i := range 2 {
		addSegment(t, con, cid, monday.Add(time.Duration(i)*diary.SegmentLength), uint8(70*i))
	}
	if res := approveAndSync(t, ctx, con, cid); res.Error != "" {
		t.Fatalf("sync: %+v", res)
	}
	clk.Advance(monday.AddDate(0, 0, 8).Sub(clk.Now()))
	return emp, con, cid
}

func approveAndSync(t *testing.T, ctx context.Context, con *node.Node, cid string) node.SyncResult {
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

func closedWeeks(t *testing.T, n *node.Node, cid string) []node.ClosedWeek {
	t.Helper()
	st, err := n.LogStatus(cid)
	if err != nil {
		t.Fatal(err)
	}
	return st.Closed
}

// The answer carrying the employer's cosigned closes is lost (the
// connection cut right after the employer cosigned and kept them), then
// the contractor's log grows and its closes go again at the new size. The
// employer answers with the closes it kept, the contractor checks them
// against its log and keeps them: both sides hold the same closes, at the
// size the employer cosigned, and the next round sends none again.
func TestWeekCloseAnswerLostThenLogGrows(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	emp, con, cid := closePair(t, ctx)
	var once sync.Once
	cosigns := 0
	emp.SwapReceiver(func(a *syncstore.Adapter) syncp2p.Receiver {
		return cosignHook{a, func(out [][]byte) [][]byte {
			cosigns++
			once.Do(func() {
				if err := emp.CutPeer(con.PeerID()); err != nil {
					t.Error(err)
				}
			})
			return out
		}}
	})
	if res := approveAndSync(t, ctx, con, cid); res.Error == "" {
		t.Fatalf("the round cut after the cosign: %+v, want it failed", res)
	}
	want := []node.ClosedWeek{{Week: "2026-W47", Size: 2}, {Week: "2026-W48", Size: 2, Entries: 2}}
	if got := closedWeeks(t, emp, cid); !slices.Equal(got, want) {
		t.Fatalf("the employer after the cut: closed %+v, want %+v", got, want)
	}
	if got := closedWeeks(t, con, cid); len(got) != 0 {
		t.Fatalf("the contractor after the cut: closed %+v, want none (it never read the answer)", got)
	}
	addSegment(t, con, cid, monday.AddDate(0, 0, 8).Add(-time.Hour), 40) // 2026-W49
	if res := approveAndSync(t, ctx, con, cid); res.Error != "" || res.Seq != 3 {
		t.Fatalf("the round after the log grew: %+v", res)
	}
	for _, side := range []*node.Node{emp, con} {
		if got := closedWeeks(t, side, cid); !slices.Equal(got, want) {
			t.Errorf("%s: closed %+v, want %+v", side.Home, got, want)
		}
	}
	before := cosigns
	if res := approveAndSync(t, ctx, con, cid); res.Error != "" || cosigns != before {
		t.Fatalf("the round after: %+v, %d closes offered again; want none", res, cosigns-before)
	}
}

// A dishonest employer answers the contractor's closes with a close the
// contractor never signed (another key under its name), or with one its
// key signed at a size its log does not give or over another acceptance:
// the contractor refuses the answer with the reason and keeps no close.
func TestWeekCloseDishonestAnswerRefused(t *testing.T) {
	_, stranger, err := ed25519.GenerateKey(nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		name   string
		forger ed25519.PrivateKey // signs under the contractor's name; nil: the contractor's own key
		spoil  func(w *ledger.WeekClose)
		want   string
	}{
		{name: "signed by another key", forger: stranger, want: "not signed by a known key"},
		{name: "another size the log does not give", spoil: func(w *ledger.WeekClose) { w.Size, w.Root, w.Count = 1, [32]byte{7}, 1 }, want: "this log gives"},
		{name: "another acceptance", spoil: func(w *ledger.WeekClose) { w.Acceptance[0] ^= 1 }, want: "this log gives"},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			emp, con, cid := closePair(t, ctx)
			me, _ := con.Identity()
			ct, err := con.Contracts().Resolve(cid)
			if err != nil {
				t.Fatal(err)
			}
			// The close the contractor's node itself signs of 2026-W48 at
			// its head, 2 entries, then spoiled.
			w48 := monday.Add(-9 * time.Hour)
			log := storedEntries(t, con, ledger.LogIDOf(ct.ID(), me.PublicKey()))
			w := ledger.NewWeekClose(ledger.LogIDOf(ct.ID(), me.PublicKey()), log, w48.Unix(), w48.AddDate(0, 0, 7).Unix(), ct.Acceptance.Signed())
			if c.spoil != nil {
				c.spoil(&w)
			}
			key := me.PrivateKey()
			if c.forger != nil {
				key = c.forger
			}
			note, err := ledger.SignWeekClose(key, me.PeerID().String(), w)
			if err != nil {
				t.Fatal(err)
			}
			boss, _ := emp.Identity()
			forged, err := ledger.Cosign(note, boss.PrivateKey(), boss.PeerID().String())
			if err != nil {
				t.Fatal(err)
			}
			emp.SwapReceiver(func(a *syncstore.Adapter) syncp2p.Receiver {
				return cosignHook{a, func([][]byte) [][]byte { return [][]byte{forged} }}
			})
			res := approveAndSync(t, ctx, con, cid)
			if !strings.Contains(res.Error, c.want) {
				t.Fatalf("the forged answer: %+v, want refused with %q", res, c.want)
			}
			if got := closedWeeks(t, con, cid); len(got) != 0 {
				t.Fatalf("the contractor kept %+v from a forged answer", got)
			}
		})
	}
}

// storedEntries reads a node's own log, every entry.
func storedEntries(t *testing.T, n *node.Node, logID [32]byte) []ledger.Signed {
	t.Helper()
	var raw [][]byte
	if err := n.Store().View(func(x *store.Txn) (err error) {
		raw, err = logdb.Entries(x, logID, 1, 1<<62)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	out := make([]ledger.Signed, len(raw))
	for i, b := range raw {
		e, err := ledger.ReadOwnEntry(b)
		if err != nil {
			t.Fatal(err)
		}
		out[i] = ledger.Signed{Bytes: b, Entry: e}
	}
	return out
}
