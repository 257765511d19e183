package node_test

import (
	"context"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/node"
)

// Nodes opened with a small store (as P8 runs a thousand of them) still
// record, approve and sync a full week: its 240 segments go into one
// transaction and its approval signs them all at once, both within the
// small store's transaction size.
func TestSmallStoreSyncsAWeek(t *testing.T) {
	t.Setenv(node.EnvLocalOnly, "1")
	clk := clocktest.New(benchStart)
	emp := benchOnline(t, clk, "Erin", node.WithSmallStore())
	con := benchOnline(t, clk, "Carl", node.WithSmallStore())
	cid := benchContract(t, emp, con)
	benchWeek(t, clk, con, cid, 240, 2<<10, 1)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	res, err := con.Sync(ctx, node.SyncParams{Contract: cid}, nil)
	if err != nil || len(res) != 1 || res[0].Error != "" {
		t.Fatalf("sync: %+v %v", res, err)
	}
	st, err := emp.LogStatus(cid)
	if err != nil || st.Seq < 240 {
		t.Fatalf("employer's copy: %+v %v; want the week's 240 entries", st, err)
	}
}
