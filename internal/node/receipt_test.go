package node

import (
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// The contractor keeps every receipt that cosigns the checkpoint it sent,
// by size, and shows the newest; a receipt for an older checkpoint (made
// with the employer's real key) or for another log is refused and leaves
// the newest in place.
func TestReceiptOnlyForTheCheckpointSent(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	clk := clocktest.New(now)
	p := acceptedPair(t, clk, OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD", Screenshots: 1})
	emp, con, c, me, cid, logID := p.emp, p.con, p.c, p.me, p.cid, p.logID
	side := con.side
	// checkpoint appends n entries and returns the contractor's note and
	// the employer's honest receipt of it.
	checkpoint := func(n int) (sent, receipt []byte) {
		t.Helper()
		err := con.store.Update(func(x *store.Txn) error {
			h, err := logdb.Head(x, logID)
			if err != nil {
				return err
			}
			l, err := ledger.NewLog(me.PrivateKey(), cid, h, logdb.NewHistory(x, logID))
			if err != nil {
				return err
			}
			var signed []ledger.Signed
			for i := range n {
				start := now.Add(-time.Duration(int(h.Seq)+i+1) * time.Hour).Unix()
				s, err := l.Append(ledger.Entry{Start: start, Kind: ledger.KindAuto, ApprovedAt: now.Unix(),
					Minutes: []ledger.Minute{{Index: 0, Keys: 3}}})
				if err != nil {
					return err
				}
				signed = append(signed, s)
			}
			return logdb.Append(x, logID, signed)
		})
		if err != nil {
			t.Fatal(err)
		}
		st, err := con.signCheckpoint(c, logID)
		if err != nil {
			t.Fatal(err)
		}
		e, _ := emp.Identity()
		receipt, err = ledger.Cosign([]byte(st.Checkpoint), e.PrivateKey(), e.PeerID().String())
		if err != nil {
			t.Fatal(err)
		}
		return []byte(st.Checkpoint), receipt
	}
	sent2, receipt2 := checkpoint(2)
	if err := side.Receipt(cid, sent2, receipt2); err != nil {
		t.Fatalf("the honest receipt of size 2: %v", err)
	}
	sent3, receipt3 := checkpoint(1)
	if err := side.Receipt(cid, sent3, receipt3); err != nil {
		t.Fatalf("the honest receipt of size 3: %v", err)
	}
	newest := func() string {
		t.Helper()
		st, err := con.LogStatus(c.ID().String())
		if err != nil {
			t.Fatal(err)
		}
		if st.ReceiptSize == 0 || st.Receipts == 0 {
			t.Fatalf("log status names no receipt: %+v", st)
		}
		return st.Cosigned
	}
	if got := newest(); got != string(receipt3) {
		t.Fatalf("newest receipt:\n%s\nwant the one of size 3", got)
	}

	sent4, _ := checkpoint(1)
	foreign := foreignReceipt(t, clk, emp)
	for name, bad := range map[string][]byte{"older": receipt2, "foreign": foreign, "not cosigned": sent4} {
		err := side.Receipt(cid, sent4, bad)
		if !errors.Is(err, syncp2p.ErrCheckpoint) || !errors.Is(err, ledger.ErrNotReceipt) {
			t.Errorf("%s receipt: %v; want ErrCheckpoint and ErrNotReceipt", name, err)
		}
		if got := newest(); got != string(receipt3) {
			t.Errorf("after the %s receipt the newest is\n%s\nwant the one of size 3", name, got)
		}
	}
	var sizes []uint64
	_ = con.store.View(func(x *store.Txn) (err error) { sizes, err = logdb.ReceiptSizes(x, logID); return err })
	if len(sizes) != 2 || sizes[0] != 2 || sizes[1] != 3 {
		t.Fatalf("receipts kept for sizes %v, want [2 3]", sizes)
	}
}

// foreignReceipt is a receipt the same employer cosigned honestly, of
// another contractor's log.
func foreignReceipt(t *testing.T, clk *clocktest.Fake, emp *Node) []byte {
	t.Helper()
	other := OpenTestNode(t, clk, "Bo")
	id, _ := other.Identity()
	cp := ledger.CheckpointFor(ledger.LogIDOf(contract.ID{1}, id.PublicKey()), nil)
	note, err := ledger.SignCheckpoint(id.PrivateKey(), id.PeerID().String(), cp)
	if err != nil {
		t.Fatal(err)
	}
	e, _ := emp.Identity()
	receipt, err := ledger.Cosign(note, e.PrivateKey(), e.PeerID().String())
	if err != nil {
		t.Fatal(err)
	}
	return receipt
}
