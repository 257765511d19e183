package node_test

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
)

// With no session running, the status offers the memo of the contract's
// last tracked segment, and shows the current segment's minutes where
// they fell, with those waiting for the idle question named.
func TestTrackingStatusLastMemoAndSegmentMinutes(t *testing.T) {
	n, cid := contractorNode(t, "off", true) // the clock reads Monday 12:00
	addSegment(t, n, cid, monday, 1)
	now := monday.Add(3 * time.Hour)
	s := diary.Segment{Contract: cid, Start: now, State: diary.Recorded, Kind: diary.Auto, Memo: "parser tests"}
	s.AddMinute(diary.Minute{Index: 7, Keys: 3})
	s.AddMinute(diary.Minute{Index: 8})
	s.MarkIdlePending(now.Add(8*time.Minute), now.Add(9*time.Minute))
	if err := diarydb.New(n.Store()).Put(s); err != nil {
		t.Fatal(err)
	}
	st, err := n.TrackingStatus(cid)
	if err != nil {
		t.Fatal(err)
	}
	if st.LastMemo != "parser tests" {
		t.Errorf("last memo %q, want %q", st.LastMemo, "parser tests")
	}
	if len(st.SegmentDetail) != 2 || st.SegmentDetail[0].Index != 7 || st.SegmentDetail[1].Index != 8 {
		t.Errorf("segment minutes %+v, want minutes 7 and 8", st.SegmentDetail)
	}
	if len(st.SegmentIdle) != 1 || st.SegmentIdle[0] != 8 {
		t.Errorf("minutes waiting for the idle question %v, want [8]", st.SegmentIdle)
	}
}
