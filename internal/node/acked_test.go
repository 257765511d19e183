package node_test

import (
	"context"
	"encoding/binary"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/store"
)

// Between two real nodes, the contractor's segments end synced exactly
// when the employer holds their entries, however the log grew since the
// last round: a void of a synced segment, manual time approved in its
// slot, the employer's amendment bound at the next round, a round with
// nothing new, and a folder that lost its acked mark (an older
// release's), which the next round reads whole and marks again.
func TestSyncMarksSegmentsAfterVoidManualAndAmendment(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	offer := parserOffer
	offer.ManualTime = true
	emp, con, cid := pairOnLoopback(t, ctx, clk, offer)
	defer closeNodes(t, con, emp)
	sync := func(seq uint64) {
		t.Helper()
		res, err := con.Sync(ctx, node.SyncParams{Contract: cid}, nil)
		if err != nil || len(res) != 1 || res[0].Error != "" || res[0].Seq != seq {
			t.Fatalf("sync: %+v %v; want %d entries held", res, err, seq)
		}
	}
	states := func(want map[time.Duration]diary.State) {
		t.Helper()
		segs, err := diarydb.New(con.Store()).Range(cid, monday, monday.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if len(segs) != len(want) {
			t.Errorf("%d segments, want %d", len(segs), len(want))
		}
		for _, s := range segs {
			if w := want[s.Start.Sub(monday)]; s.State != w {
				t.Errorf("segment at +%s (entry %d) is %s, want %q", s.Start.Sub(monday), s.Entry, s.State, w)
			}
		}
	}
	markKey := func() []byte {
		st, err := con.LogStatus(cid)
		if err != nil {
			t.Fatal(err)
		}
		return []byte("log/" + st.LogID + "/acked")
	}
	mark := func(want uint64) {
		t.Helper()
		err := con.Store().View(func(x *store.Txn) error {
			b, err := x.Get(markKey())
			if err == nil && (len(b) != 8 || binary.BigEndian.Uint64(b) != want) {
				t.Errorf("acked mark %x, want %d", b, want)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	approve := func() {
		t.Helper()
		if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
			t.Fatal(err)
		}
	}

	var segs []diary.Segment
	for i := range 3 {
		segs = append(segs, addSegment(t, con, cid, monday.Add(time.Duration(i)*diary.SegmentLength), uint8(40*i)))
	}
	approve() // 1..3
	sync(3)
	states(map[time.Duration]diary.State{0: diary.Synced, 10 * time.Minute: diary.Synced, 20 * time.Minute: diary.Synced})
	mark(3)

	if _, err := con.DeleteSegments(node.CurateParams{IDs: []string{segs[1].ID()}}); err != nil { // 4: void
		t.Fatal(err)
	}
	if _, err := con.AddManual(node.ManualParams{Contract: cid, From: monday.Add(10 * time.Minute), To: monday.Add(20 * time.Minute), Memo: "call"}); err != nil {
		t.Fatal(err)
	}
	addSegment(t, con, cid, monday.Add(30*time.Minute), 200)
	approve() // 5, 6
	if _, err := emp.AmendContract(node.AmendParams{Contract: cid, Rate: "50.00"}); err != nil {
		t.Fatal(err)
	}
	states(map[time.Duration]diary.State{0: diary.Synced, 10 * time.Minute: diary.Approved, 20 * time.Minute: diary.Synced, 30 * time.Minute: diary.Approved})
	sync(7) // the amendment bound as 7
	states(map[time.Duration]diary.State{0: diary.Synced, 10 * time.Minute: diary.Synced, 20 * time.Minute: diary.Synced, 30 * time.Minute: diary.Synced})
	mark(7)

	sync(7)
	mark(7)
	addSegment(t, con, cid, monday.Add(40*time.Minute), 220)
	approve() // 8
	if err := con.Store().Update(func(x *store.Txn) error { return x.Delete(markKey()) }); err != nil {
		t.Fatal(err)
	}
	sync(8)
	states(map[time.Duration]diary.State{0: diary.Synced, 10 * time.Minute: diary.Synced, 20 * time.Minute: diary.Synced,
		30 * time.Minute: diary.Synced, 40 * time.Minute: diary.Synced})
	mark(8)
}

// A contractor deleting approved time while its sync rounds run (each
// round marks the segments the employer holds) loses no delete to the
// race: every void is taken, and the last round leaves the log's whole
// length held by the employer.
func TestVoidsWhileSyncing(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	clk := clocktest.New(monday.Add(8 * time.Hour))
	emp, con, cid := pairOnLoopback(t, ctx, clk, parserOffer)
	defer closeNodes(t, con, emp)
	const n = 24
	var segs []diary.Segment
	for i := range n {
		segs = append(segs, addSegment(t, con, cid, monday.Add(time.Duration(i)*diary.SegmentLength), uint8(8*i)))
	}
	if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() {
		defer close(done)
		for _, s := range segs {
			if _, err := con.DeleteSegments(node.CurateParams{IDs: []string{s.ID()}}); err != nil {
				t.Errorf("delete %s while syncing: %v", s.ID(), err)
			}
		}
	}()
	for running := true; running; {
		select {
		case <-done:
			running = false
		default:
		}
		if _, err := con.Sync(ctx, node.SyncParams{Contract: cid}, nil); err != nil {
			t.Fatal(err)
		}
	}
	res, err := con.Sync(ctx, node.SyncParams{Contract: cid}, nil)
	if err != nil || len(res) != 1 || res[0].Error != "" || res[0].Seq != 2*n {
		t.Fatalf("last sync: %+v %v; want %d entries held", res, err, 2*n)
	}
}
