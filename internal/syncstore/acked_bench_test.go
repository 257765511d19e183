package syncstore_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p/syncp2ptest"
)

// BenchmarkAckedYear is the contractor's Acked on a year of diary: 12,000
// segments approved and synced round by round, then a week of 240 more
// approved. new-head is the ack of the round that delivered the 240;
// unchanged-head the ack of a round with nothing new (every idle round's);
// no-mark the ack of the 240 in a folder without the acked mark, which
// reads the whole diary as every ack did before the mark. Each reports
// the CPU time of the process next to the wall time.
func BenchmarkAckedYear(b *testing.B) { benchAcked(b, 12000) }

// BenchmarkAckedWeek is BenchmarkAckedYear on a diary of only the week
// (P4's): reading the whole diary there reads only the week too.
func BenchmarkAckedWeek(b *testing.B) { benchAcked(b, 0) }

func benchAcked(b *testing.B, year int) {
	const week, batch = 240, 100
	d := newOwnDiary(b)
	start := syncp2ptest.Base.AddDate(-1, 0, 0)
	at := func(i int) time.Time { // 48 segments (8 hours) a day
		return start.Add(time.Duration(i/48)*24*time.Hour + time.Duration(i%48)*diary.SegmentLength)
	}
	for i := 0; i < year+week; i += batch {
		segs := make([]diary.Segment, 0, batch)
		for j := i; j < i+batch; j++ {
			segs = append(segs, yearSegment(d.cid.String(), at(j)))
		}
		d.approve(segs...)
		if i+batch <= year {
			if err := d.s.adapter.Acked(d.cid, uint64(i+batch)); err != nil {
				b.Fatal(err)
			}
		}
	}
	// unack puts the week back as the round before the ack leaves it.
	unack := func(b *testing.B, dropMark bool) {
		b.StopTimer()
		defer b.StartTimer()
		err := d.s.store.Update(func(x *store.Txn) error {
			for j := year; j < year+week; j++ {
				seg, err := diarydb.GetTxn(x, d.cid.String(), at(j))
				if err != nil {
					return err
				}
				seg.State = diary.Approved
				if err := diarydb.PutTxn(x, seg); err != nil {
					return err
				}
			}
			return logdb.SetAcked(x, d.logID, uint64(year))
		})
		if err != nil {
			b.Fatal(err)
		}
		if dropMark {
			d.dropMark()
		}
	}
	run := func(name string, before func(*testing.B)) {
		b.Run(name, func(b *testing.B) {
			cpu0 := cpuMS()
			var setup float64
			for b.Loop() {
				if before != nil {
					c := cpuMS()
					before(b)
					setup += cpuMS() - c
				}
				if err := d.s.adapter.Acked(d.cid, uint64(year+week)); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric((cpuMS()-cpu0-setup)/float64(b.N), "cpu-ms/op")
			got, err := diarydb.New(d.s.store).Get(d.cid.String(), at(year+week-1))
			if err != nil || got.State != diary.Synced {
				b.Fatalf("the newest segment is %s after the ack (%v)", got.State, err)
			}
		})
	}
	run("new-head", func(b *testing.B) { unack(b, false) })
	run("unchanged-head", nil)
	run("no-mark", func(b *testing.B) { unack(b, true) })
}

// yearSegment is a tracked segment as the tracker leaves it: ten
// minutes, three apps, two screenshots.
func yearSegment(cid string, at time.Time) diary.Segment {
	s := diary.Segment{Contract: cid, Start: at, State: diary.Recorded, Kind: diary.Auto, Memo: "Invoice parser: line items and totals"}
	for i := range 10 {
		s.AddMinute(diary.Minute{Index: i, Keys: 40 + i, Clicks: 3, Scrolls: 2, Moved: true})
	}
	for i, app := range []string{"code", "firefox", "xterm"} {
		s.Apps = append(s.Apps, diary.App{Name: app, Title: fmt.Sprintf("%s — window %d", app, i), Seconds: 200})
	}
	for i := range 2 {
		s.Screenshots = append(s.Screenshots, diary.Image{Hash: fmt.Sprintf("%064x", at.Unix()*2+int64(i)),
			Thumb: fmt.Sprintf("%064x", at.Unix()*2+int64(i)+1), TakenAt: at.Add(time.Duration(i*4) * time.Minute),
			Width: 1920, Height: 1080, Bytes: 150000})
	}
	return s
}
