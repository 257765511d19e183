package node

import (
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// receivedFigures are what the team view shows of one received log now.
type receivedFigures struct {
	// week is the live minutes from the start of the contract's week to
	// now, today those of the employer's local day (which need not lie
	// inside the contract's week nor start at a UTC midnight).
	week  logdb.Totals
	today int
	// lastWork and lastMemo are the newest live segment starting in the
	// last day (latestLookback): what the contractor worked on last.
	lastWork time.Time
	lastMemo string
	head     uint64 // the log's length
}

// receivedNow reads c's received log inside x for the team view: from
// its recent record (logdb.Recent, one small value read with every
// other log's) when that covers the week and the day, which it does at
// any time after the log's newest segment. Otherwise from the indexes:
// the week's whole days come from the day index (seven small records,
// whatever the log's length: P11), a week that starts during a day from
// that day's entries, a log from before the day index from its entries;
// today from the quarter index (todayMinutes); the latest segment is the
// last record of the live index in the last day, decoded alone.
func receivedNow(x *store.Txn, c *contract.Contract, recent map[ledger.LogID]logdb.Recent, begin, dayStart, now time.Time) (receivedFigures, error) {
	var f receivedFigures
	if c.Acceptance == nil {
		return f, nil
	}
	logID := ledger.LogIDOf(c.ID(), c.Acceptance.Contractor.PublicKey)
	end := now.Add(diary.SegmentLength).Unix()
	if r, ok := recent[logID]; ok && onQuarter(begin) && onQuarter(dayStart) && r.Covers(min(begin.Unix(), dayStart.Unix()), end) {
		return recentFigures(r, begin, dayStart, now), nil
	}
	head, err := logdb.Head(x, logID)
	if err != nil || head.Seq == 0 {
		return f, err // nothing received yet (a log has a record once it has entries)
	}
	f.head = head.Seq
	if f.today, err = todayMinutes(x, logID, dayStart.Unix(), end); err != nil {
		return f, err
	}
	latest, err := logdb.LatestLive(x, logID, now.Add(-latestLookback).Unix(), end)
	if err != nil {
		return f, err
	}
	if latest != nil {
		e, err := ledger.ReadOwnEntry(latest)
		if err != nil {
			return f, err
		}
		f.lastWork, f.lastMemo = time.Unix(e.Start, 0).UTC(), e.Memo
	}
	whole := logdb.Day(begin.Unix() + 24*60*60 - 1) // the first day that starts inside the week
	first := whole * 24 * 60 * 60
	if err := addEntries(x, logID, begin.Unix(), min(first, end), &f.week); err != nil {
		return f, err
	}
	days, ok, err := logdb.DayTotals(x, logID, whole, logdb.Day(end-1))
	if err != nil {
		return f, err
	}
	if !ok {
		return f, addEntries(x, logID, first, end, &f.week)
	}
	for _, t := range days {
		f.week.Minutes += t.Minutes
		f.week.Active += t.Active
	}
	return f, nil
}

// recentFigures are receivedNow's figures from the log's recent record,
// which covers the week from begin and the day from dayStart up to now:
// the same sums of the same quarter hours as the indexes hold.
func recentFigures(r logdb.Recent, begin, dayStart, now time.Time) receivedFigures {
	end := now.Add(diary.SegmentLength).Unix()
	f := receivedFigures{head: r.Head, week: r.Sum(begin.Unix(), end), today: r.Sum(dayStart.Unix(), end).Minutes}
	if r.HasLatest && r.Latest >= now.Add(-latestLookback).Unix() {
		f.lastWork, f.lastMemo = time.Unix(r.Latest, 0).UTC(), r.LatestMemo
	}
	return f
}

// onQuarter: t is on a quarter hour, where the recent record's sums
// begin (every zone's midnight is).
func onQuarter(t time.Time) bool { return t.Unix()%(15*60) == 0 }

// todayMinutes are the live minutes starting in [dayStart, end): from the
// quarter index when the day starts on a quarter hour (every zone's does)
// and the index covers it, through the quarter end falls in (no entry
// starts after now, as the week's days count the whole of today);
// otherwise from the day's entries.
func todayMinutes(x *store.Txn, logID ledger.LogID, dayStart, end int64) (int, error) {
	var t logdb.Totals
	if first := logdb.Quarter(dayStart); first*15*60 == dayStart {
		qs, ok, err := logdb.QuarterTotals(x, logID, first, logdb.Quarter(end-1))
		if err != nil || ok {
			for _, q := range qs {
				t.Minutes += q.Minutes
			}
			return t.Minutes, err
		}
	}
	err := addEntries(x, logID, dayStart, end, &t)
	return t.Minutes, err
}

// addEntries adds the live entries starting in [from, to), read one by one.
func addEntries(x *store.Txn, logID ledger.LogID, from, to int64, w *logdb.Totals) error {
	entries, err := liveDecoded(x, logID, from, to)
	for _, e := range entries {
		t := logdb.TotalsOf(e)
		w.Minutes += t.Minutes
		w.Active += t.Active
	}
	return err
}

// liveDecoded are the live entries starting in [from, to), decoded.
func liveDecoded(x *store.Txn, logID ledger.LogID, from, to int64) ([]ledger.Entry, error) {
	if from >= to {
		return nil, nil
	}
	raw, err := logdb.LiveEntries(x, logID, from, to)
	if err != nil {
		return nil, err
	}
	out := make([]ledger.Entry, 0, len(raw))
	for _, b := range raw {
		e, err := ledger.ReadOwnEntry(b)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}
