package node_test

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/p2p"
)

// Two installations on real libp2p hosts over loopback: offer, online
// accept, approve, sync; the employer ends with the contractor's entries
// byte for byte, their images and a receipt both sides hold; nothing
// unapproved or deleted arrives.
func TestSyncOverLoopback(t *testing.T) {
	for _, transport := range []string{"tcp", "quic"} {
		t.Run(transport, func(t *testing.T) { syncOverLoopback(t, transport) })
	}
}

func listenOn(transport string) []string {
	if transport == "quic" {
		return []string{"/ip4/127.0.0.1/udp/0/quic-v1"}
	}
	return []string{"/ip4/127.0.0.1/tcp/0"}
}

func syncOverLoopback(t *testing.T, transport string) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	emp := openNode(t, clk, "Erin")
	if err := emp.StartNetwork(ctx, node.NetOptions{Listen: listenOn(transport)}); err != nil {
		t.Fatal(err)
	}
	offer, err := emp.OfferContract(node.OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD", Screenshots: 1, Webcam: true})
	if err != nil {
		t.Fatal(err)
	}
	con := openNode(t, clk, "Ada")
	if err := con.StartNetwork(ctx, node.NetOptions{Listen: listenOn(transport)}); err != nil {
		t.Fatal(err)
	}
	acc, err := con.AcceptContract(ctx, node.AcceptParams{Code: offer.Invite})
	if err != nil || !acc.Delivered || acc.Contract.State != "active" {
		t.Fatalf("online accept: %+v %v; want delivered and active", acc, err)
	}
	if c, _ := emp.Contracts().Resolve(acc.Contract.ID); c.State.String() != "active" {
		t.Fatalf("employer's contract state %s, want active", c.State)
	}
	cid := acc.Contract.ID
	var segs []diary.Segment
	for i := 0; i < 5; i++ {
		segs = append(segs, addSegment(t, con, cid, monday.Add(time.Duration(i)*diary.SegmentLength), uint8(30*i)))
	}
	// Approve three, delete one of them again (a void), keep two recorded.
	if _, err := con.Approve(node.ApproveParams{Contract: cid, Through: monday.Add(25 * time.Minute)}); err != nil {
		t.Fatal(err)
	}
	if _, err := con.DeleteSegments(node.CurateParams{IDs: []string{segs[1].ID()}}); err != nil {
		t.Fatal(err)
	}
	var steps []node.SyncProgress
	var stepsMu sync.Mutex
	con.OnChange(func(topic string, data any) {
		if topic == node.TopicSyncProgress {
			stepsMu.Lock()
			defer stepsMu.Unlock()
			steps = append(steps, data.(node.SyncProgress))
		}
	})
	res, err := con.Sync(ctx, node.SyncParams{Contract: cid}, nil)
	if err != nil || len(res) != 1 || res[0].Error != "" || res[0].Seq != 4 {
		t.Fatalf("sync: %+v %v; want 4 entries acknowledged", res, err)
	}
	if res[0].Path != p2p.PathLAN {
		t.Errorf("the round went %q; want %q (two nodes on loopback)", res[0].Path, p2p.PathLAN)
	}
	// The app's progress bar: the round announced as it went, ending with
	// the screenshots of the two live entries sent (not those of the
	// entry its void withdraws).
	stepsMu.Lock()
	if n := len(steps); n == 0 || steps[n-1].Stage != "done" || steps[n-1].Contract != cid ||
		steps[n-1].Images != 4 || steps[n-1].ImagesTotal != 4 {
		t.Errorf("announced progress %+v; want it to end done with 4 of 4 images", steps)
	}
	stepsMu.Unlock()
	cst, _ := con.LogStatus(cid)
	est, _ := emp.LogStatus(cid)
	if est.Seq != 4 || est.Head != cst.Head || est.LogID != cst.LogID {
		t.Fatalf("employer's copy %+v, contractor's log %+v: want the same head", est, cst)
	}
	if cst.Cosigned == "" || cst.Cosigned != est.Cosigned || strings.Count(cst.Cosigned, "— ") != 2 {
		t.Fatalf("receipt: contractor %q employer %q; want the same note signed twice", cst.Cosigned, est.Cosigned)
	}
	// What arrived: the images of live approved entries only.
	for i, s := range segs {
		for _, img := range s.Screenshots {
			want := i == 0 || i == 2
			if got := blobExists(emp, img.Hash); got != want {
				t.Errorf("segment %d's screenshot on the employer's disk: %v, want %v", i, got, want)
			}
		}
	}
	synced, _ := diarydb.New(con.Store()).Range(cid, monday, monday.Add(time.Hour))
	states := map[diary.State]int{}
	for _, s := range synced {
		states[s.State]++
	}
	if states[diary.Synced] != 2 || states[diary.Recorded] != 2 {
		t.Fatalf("contractor's segment states %v, want 2 synced and 2 recorded", states)
	}
	// A second round is a no-op, and approving more then syncing continues.
	if res, err := con.Sync(ctx, node.SyncParams{}, nil); err != nil || res[0].Error != "" {
		t.Fatalf("second sync: %+v %v", res, err)
	}
	if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatal(err)
	}
	if res, err := emp.Sync(ctx, node.SyncParams{}, nil); err != nil || res[0].Error != "" || res[0].Seq != 6 {
		t.Fatalf("employer-initiated sync: %+v %v; want 6 entries", res, err)
	}
	entries, _ := filepath.Glob(filepath.Join(emp.Home, "blobs", "*", "*"))
	// Four live segments, each with a screenshot and a webcam photo.
	if len(entries) != 8 {
		t.Fatalf("employer holds %d images, want 8 (4 live segments × screenshot and webcam photo)", len(entries))
	}
}

// Both sides export the week from their copy of the log after a sync: the
// employer's timesheet and the contractor's proof of delivery, each signed
// by its exporter, both verifying offline with the same totals.
func TestTimesheetFromBothSides(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	emp, con, cid := pairOnLoopback(t, ctx, clk, node.OfferParams{Title: "Both", Rate: "60.00", Currency: "USD", Screenshots: 1, Webcam: true})
	defer closeNodes(t, con, emp)
	if _, err := con.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: "2026-W48", Out: t.TempDir()}); !errors.Is(err, node.ErrNoReceipt) {
		t.Fatalf("export before any sync: %v, want ErrNoReceipt", err)
	}
	for i := 0; i < 3; i++ {
		addSegment(t, con, cid, monday.Add(time.Duration(i)*diary.SegmentLength), uint8(70*i))
	}
	if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatal(err)
	}
	if res, err := con.Sync(ctx, node.SyncParams{}, nil); err != nil || res[0].Error != "" {
		t.Fatalf("sync: %+v %v", res, err)
	}
	for _, side := range []*node.Node{emp, con} {
		res, err := side.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: "2026-W48", Out: t.TempDir()})
		if err != nil {
			t.Fatalf("export from %s: %v", side.Home, err)
		}
		if !strings.Contains(res.Summary, "billable 0:30, amount 30.00 USD") {
			t.Fatalf("summary %q: want 30 billable minutes at 60.00/h", res.Summary)
		}
	}
}
