package diarydb

import (
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/store"
)

// oldSegment is a segment record as written before idle questions were
// kept in the diary (keys 1-11).
type oldSegment struct {
	Contract    string         `cbor:"1,keyasint"`
	Start       time.Time      `cbor:"2,keyasint"`
	State       diary.State    `cbor:"3,keyasint"`
	Kind        diary.Kind     `cbor:"4,keyasint"`
	Memo        string         `cbor:"5,keyasint"`
	Minutes     []diary.Minute `cbor:"6,keyasint"`
	Apps        []diary.App    `cbor:"7,keyasint"`
	Screenshots []diary.Image  `cbor:"8,keyasint"`
	Webcam      []diary.Image  `cbor:"9,keyasint"`
	OverLimit   bool           `cbor:"10,keyasint,omitempty"`
	Entry       uint64         `cbor:"11,keyasint,omitempty"`
}

// Records written before the idle mark existed still decode, with no
// minute waiting; the segments with minutes waiting are found through
// their index, which follows every write and delete.
func TestIdlePendingAndOldRecords(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db := New(st)
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	old := oldSegment{Contract: "c1", Start: t0, State: diary.Approved, Kind: diary.Auto, Memo: "before",
		Minutes: []diary.Minute{{Index: 0, Keys: 4}, {Index: 1}}, Entry: 7}
	b, err := cbor.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.Update(func(x *store.Txn) error {
		if err := x.Set(segKey("c1", t0), b); err != nil {
			return err
		}
		return x.Set(timeKey(t0, "c1"), nil)
	}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Get("c1", t0)
	if err != nil || got.Memo != "before" || got.Entry != 7 || len(got.Minutes) != 2 || got.Minutes[0].Keys != 4 || got.IdlePending != nil {
		t.Fatalf("old record decodes as %+v, %v", got, err)
	}

	next := t0.Add(diary.SegmentLength)
	s := diary.Segment{Contract: "c1", Start: next, State: diary.Recorded, Kind: diary.Auto}
	s.AddMinute(diary.Minute{Index: 3})
	s.AddMinute(diary.Minute{Index: 4})
	s.MarkIdlePending(next.Add(4*time.Minute), next.Add(5*time.Minute))
	if err := db.Put(s); err != nil {
		t.Fatal(err)
	}
	pend, err := db.IdlePending("c1")
	if err != nil || len(pend) != 1 || len(pend[0].IdlePending) != 1 || pend[0].IdlePending[0] != 4 {
		t.Fatalf("IdlePending = %+v, %v; want the 9:10 segment with minute 4", pend, err)
	}
	s.SettleIdle(next, next.Add(diary.SegmentLength), true)
	if err := db.Put(s); err != nil {
		t.Fatal(err)
	}
	if pend, _ := db.IdlePending("c1"); len(pend) != 0 {
		t.Fatalf("after the answer %d segments still wait", len(pend))
	}
	s.MarkIdlePending(next, next.Add(diary.SegmentLength))
	_ = db.Put(s)
	_ = db.Delete("c1", next)
	if pend, _ := db.IdlePending("c1"); len(pend) != 0 {
		t.Fatalf("after the delete %d segments still wait", len(pend))
	}
}
