package diarydb_test

import (
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/store"
)

func TestPutGetRangeAcrossContracts(t *testing.T) {
	dir := t.TempDir()
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	db := diarydb.New(st)
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	for i, c := range []string{"aaa", "bbb", "aaa", "bbb"} {
		s := diary.Segment{Contract: c, Start: t0.Add(time.Duration(i) * diary.SegmentLength), State: diary.Recorded, Kind: diary.Auto}
		s.AddMinute(diary.Minute{Index: 0, Keys: i})
		if err := db.Put(s); err != nil {
			t.Fatal(err)
		}
	}
	all, err := db.Range("", t0, t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 4 || all[1].Contract != "bbb" || all[3].Minutes[0].Keys != 3 {
		t.Fatalf("Range all = %+v", all)
	}
	a, err := db.Range("aaa", t0.Add(time.Minute), t0.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if len(a) != 1 || !a[0].Start.Equal(t0.Add(20*time.Minute)) {
		t.Fatalf("Range aaa from 9:01 = %+v, want the 9:20 segment only", a)
	}
	if d, _ := db.Tracked("bbb", t0, t0.Add(time.Hour)); d != 2*time.Minute {
		t.Fatalf("Tracked bbb = %v, want 2m", d)
	}
	if err := db.Delete("aaa", t0); err != nil {
		t.Fatal(err)
	}
	if _, err := db.Get("aaa", t0); !errors.Is(err, diarydb.ErrNotFound) {
		t.Fatalf("Get after Delete: %v, want ErrNotFound", err)
	}
	st.Close()
	st, _ = store.Open(dir)
	defer st.Close()
	if all, _ := diarydb.New(st).Range("", t0, t0.Add(time.Hour)); len(all) != 3 {
		t.Fatalf("after reopen %d segments, want 3", len(all))
	}
}
