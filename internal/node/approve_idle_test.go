package node_test

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/node"
)

// A segment with minutes waiting for the idle question is never signed
// into the log: approve leaves it out, by ID too, and says how many it
// left out; the diary shows its waiting minutes.
func TestApproveLeavesOutUndecidedIdleTime(t *testing.T) {
	n, cid := contractorNode(t, "off", false)
	a := addSegment(t, n, cid, monday, 10)
	b := addSegment(t, n, cid, monday.Add(diary.SegmentLength), 20)
	b.MarkIdlePending(b.MinuteAt(4), b.MinuteAt(10))
	if err := diarydb.New(n.Store()).Put(b); err != nil {
		t.Fatal(err)
	}
	for _, p := range []node.ApproveParams{{Contract: cid, IDs: []string{b.ID()}}, {Contract: cid, All: true}} {
		st, err := n.Approve(p)
		if err != nil {
			t.Fatal(err)
		}
		if st.IdlePending != 1 {
			t.Fatalf("approve %+v: %d segments left out for the idle question, want 1", p, st.IdlePending)
		}
	}
	views, err := n.Diary(node.DiaryParams{Contract: cid, From: monday, To: monday.Add(time.Hour)})
	if err != nil || len(views) != 2 {
		t.Fatalf("diary: %d segments, %v", len(views), err)
	}
	if views[0].ID != a.ID() || views[0].State != diary.Approved || len(views[0].IdlePending) != 0 {
		t.Fatalf("segment without idle time: %s %s %v; want it approved", views[0].ID, views[0].State, views[0].IdlePending)
	}
	if views[1].State != diary.Recorded || len(views[1].IdlePending) != 6 {
		t.Fatalf("segment with idle time waiting: %s, waiting %v; want it recorded with minutes 4-9 waiting", views[1].State, views[1].IdlePending)
	}
}
