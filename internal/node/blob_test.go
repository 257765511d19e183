package node

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// The contractor serves the images of its approved entries, but none of
// an entry the contract's terms refuse: a sharp screenshot, signed before
// the node checked terms at approval, stays on the machine even when the
// employer asks for it by hash.
func TestBlobWithholdsImagesOfRefusedEntries(t *testing.T) {
	now := time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)
	p := acceptedPair(t, clocktest.New(now), OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD", Screenshots: 1, Blur: "required"})
	con, me, cid, logID := p.con, p.me, p.cid, p.logID
	var hashes [2][32]byte
	var signed []ledger.Signed
	err := con.store.Update(func(x *store.Txn) error {
		l, err := ledger.NewLog(me.PrivateKey(), cid, ledger.Head{}, logdb.NewHistory(x, logID))
		if err != nil {
			return err
		}
		for i, blurred := range []bool{true, false} {
			img := []byte{0xff, 0xd8, byte(i), 0xff, 0xd9}
			h, err := con.store.Blobs.Put(img)
			if err != nil {
				return err
			}
			hashes[i] = [32]byte(h)
			start := now.Add(-time.Duration(2-i) * time.Hour).Unix()
			s, err := l.Append(ledger.Entry{Start: start, Kind: ledger.KindAuto, ApprovedAt: now.Unix(),
				Minutes: []ledger.Minute{{Index: 0, Keys: 3}},
				Images: []ledger.Image{{Role: ledger.RoleScreenshot, SHA256: hashes[i], Size: uint64(len(img)),
					TakenAt: start + 60, Width: 1, Height: 1, Blurred: blurred}}})
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
	side := con.side
	if _, err := side.Blob(cid, hashes[0]); err != nil {
		t.Fatalf("the blurred screenshot of a good entry: %v", err)
	}
	if b, err := side.Blob(cid, hashes[1]); !errors.Is(err, syncp2p.ErrNotFound) {
		t.Fatalf("the sharp screenshot of a refused entry: %d bytes, %v; want ErrNotFound", len(b), err)
	}
	// A round's image server passes the entry of the batch just sent that
	// holds the image: it is checked as the log's own would be, and one
	// the terms refuse, or that does not hold the image, decides nothing.
	read, err := side.BlobsOf(cid)
	if err != nil {
		t.Fatal(err)
	}
	good, sharp := &signed[0].Entry, &signed[1].Entry
	if _, err := read(hashes[0], good, nil); err != nil {
		t.Fatalf("the blurred screenshot with its entry: %v", err)
	}
	for name, of := range map[string]*ledger.Entry{"with its refused entry": sharp, "with another entry": good} {
		if b, err := read(hashes[1], of, nil); !errors.Is(err, syncp2p.ErrNotFound) {
			t.Fatalf("the sharp screenshot %s: %d bytes, %v; want ErrNotFound", name, len(b), err)
		}
	}
}

// pair is an employer and a contractor who accepted its offer offline,
// with the contractor's identity and the contract's log.
type pair struct {
	emp, con *Node
	c        *contract.Contract
	me       *identity.Identity
	cid      [32]byte
	logID    [32]byte
}

func acceptedPair(t *testing.T, clk *clocktest.Fake, terms OfferParams) pair {
	t.Helper()
	p := pair{emp: OpenTestNode(t, clk, "Erin"), con: OpenTestNode(t, clk, "Ada")}
	offer, err := p.emp.OfferContract(terms)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := p.con.AcceptContract(context.Background(), AcceptParams{Code: offer.Invite, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	if p.c, err = p.con.Contracts().Resolve(acc.Contract.ID); err != nil {
		t.Fatal(err)
	}
	p.me, _ = p.con.Identity()
	p.cid = p.c.ID()
	p.logID = ledger.LogIDOf(p.cid, p.me.PublicKey())
	return p
}

// OpenTestNode is a node on a new data folder with an identity named name;
// the tests of package node_test use it too.
func OpenTestNode(t *testing.T, clk *clocktest.Fake, name string) *Node {
	t.Helper()
	n, err := Open(t.TempDir(), "test", clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if _, err := n.CreateIdentity(name); err != nil {
		t.Fatal(err)
	}
	return n
}
