package node_test

import (
	"context"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/node"
)

// An employer that is not on the network is the everyday case, not a
// failure: the round says so (Unreachable) and so does the sync state, so
// the window can word it calmly; a reachable employer clears it.
func TestSyncMarksAnOfflineCounterpartUnreachable(t *testing.T) {
	t.Setenv("WORKDIARY_LOCAL_ONLY", "1")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	emp := openNode(t, clk, "Erin")
	offer, err := emp.OfferContract(node.OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD"})
	if err != nil {
		t.Fatal(err)
	}
	con := openNode(t, clk, "Ada")
	if err := con.StartNetwork(ctx, node.NetOptions{Listen: listenOn("tcp")}); err != nil {
		t.Fatal(err)
	}
	acc, err := con.AcceptContract(ctx, node.AcceptParams{Code: offer.Invite, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	res, err := con.Sync(ctx, node.SyncParams{Contract: acc.Contract.ID}, nil)
	if err != nil || len(res) != 1 || res[0].Error == "" || !res[0].Unreachable {
		t.Fatalf("sync with the employer offline: %+v %v; want an Unreachable result", res, err)
	}
	states, err := con.SyncStates()
	if err != nil || len(states) != 1 || !states[0].Unreachable || states[0].Error == "" {
		t.Fatalf("sync states %+v %v; want the contract marked Unreachable", states, err)
	}
}
