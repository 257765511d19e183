package node_test

import (
	"context"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/node"
)

// Close stops and waits for everything the node started: the sync loops
// of both sides, still running with a context that never ends, the
// network, the sessions' goroutines. Run under the race detector (`go test
// -race -run TestCloseWaitsForWhatTheNodeStarted ./internal/node`), this
// also checks the locks around the loops, the hosts and the commits.
func TestCloseWaitsForWhatTheNodeStarted(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	// A first pair starts what libp2p and Badger start once per process.
	emp, con, _ := pairOnLoopback(t, ctx, clk, parserOffer)
	closeNodes(t, con, emp)
	before := goleak.IgnoreCurrent()

	emp, con, cid := pairOnLoopback(t, ctx, clk, parserOffer)
	for _, n := range []*node.Node{emp, con} {
		n.SyncEvery(context.Background(), 20*time.Millisecond, nil)
	}
	for i := range 3 {
		addSegment(t, con, cid, monday.Add(time.Duration(i)*10*time.Minute), uint8(40*i))
		if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
			t.Fatal(err)
		}
	}
	deadline := time.Now().Add(30 * time.Second)
	for {
		st, err := emp.LogStatus(cid)
		if err == nil && st.Seq == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the sync loops did not bring the employer 3 entries: %+v %v", st, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
	closeNodes(t, con, emp)
	goleak.VerifyNone(t, before)
}

// pairOnLoopback is an employer and a contractor with an accepted contract
// on the offer's terms, both on the network on loopback. The caller closes
// them.
func pairOnLoopback(t *testing.T, ctx context.Context, clk *clocktest.Fake, offer node.OfferParams) (emp, con *node.Node, contract string) {
	t.Helper()
	emp, con = openNetworked(t, ctx, clk, "Erin"), openNetworked(t, ctx, clk, "Ada")
	o, err := emp.OfferContract(offer)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := con.AcceptContract(ctx, node.AcceptParams{Code: o.Invite})
	if err != nil || !acc.Delivered {
		t.Fatalf("accept: %+v %v; want it delivered", acc, err)
	}
	return emp, con, acc.Contract.ID
}

// parserOffer is the terms most pairs of tests work under.
var parserOffer = node.OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD", Screenshots: 1, Webcam: true}

func closeNodes(t *testing.T, ns ...*node.Node) {
	t.Helper()
	for _, n := range ns {
		if err := n.Close(); err != nil {
			t.Errorf("close %s: %v", n.Home, err)
		}
	}
}
