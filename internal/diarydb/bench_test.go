package diarydb_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/store"
)

// BenchmarkMonthQuery is P7: the diary of a month (30 days × 144 segments =
// 4,320) read back in one query; target ≤ 50 ms.
func BenchmarkMonthQuery(b *testing.B) {
	st, err := store.Open(b.TempDir())
	if err != nil {
		b.Fatal(err)
	}
	defer st.Close()
	db := diarydb.New(st)
	start := time.Date(2026, 10, 1, 0, 0, 0, 0, time.UTC)
	const n = 30 * 144
	err = st.Update(func(x *store.Txn) error { return nil })
	if err != nil {
		b.Fatal(err)
	}
	for i := 0; i < n; i += 100 {
		err := st.Update(func(x *store.Txn) error {
			for j := i; j < i+100 && j < n; j++ {
				if err := diarydb.PutTxn(x, realisticSegment(start.Add(time.Duration(j)*diary.SegmentLength))); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		segs, err := db.Range(benchContract, start, start.AddDate(0, 0, 30))
		if err != nil || len(segs) != n {
			b.Fatalf("%d segments, %v", len(segs), err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N), "ms/month")
}

func realisticSegment(at time.Time) diary.Segment {
	s := diary.Segment{Contract: benchContract, Start: at,
		State: diary.Approved, Kind: diary.Auto, Memo: "Invoice parser: line items and totals"}
	for i := 0; i < 10; i++ {
		s.AddMinute(diary.Minute{Index: i, Keys: 40 + i, Clicks: 3, Scrolls: 2, Moved: true})
	}
	for i, app := range []string{"code", "firefox", "xterm"} {
		s.Apps = append(s.Apps, diary.App{Name: app, Title: fmt.Sprintf("%s — window %d", app, i), Seconds: 200})
	}
	for i := 0; i < 2; i++ {
		s.Screenshots = append(s.Screenshots, diary.Image{Hash: fmt.Sprintf("%064x", at.Unix()+int64(i)),
			Thumb: fmt.Sprintf("%064x", at.Unix()+int64(i)+7), TakenAt: at.Add(time.Duration(i*4) * time.Minute),
			Width: 1920, Height: 1080, Bytes: 150000})
	}
	return s
}

const benchContract = "0398d0267289ef92bbd73f3f30ac9ede04db3ca87170f2d04da18d3dee8bb8bc"
