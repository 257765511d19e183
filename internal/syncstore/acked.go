package syncstore

import (
	"errors"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// Acked marks the segments whose entries the employer holds (seq 1..seq)
// as synced. Every round where the employer holds anything calls it, an
// idle one too, so it costs what the round delivered, not the diary's
// size: the log keeps how far its segments are marked (logdb.Acked), a
// seq at or below the mark reads nothing more, and a higher one reads
// only the entries after the mark and their segments.
//
// The mark can skip nothing: a segment turns approved only with a new
// entry appended at the log's head, which is above any mark (the mark
// never passes the head), and a synced segment never becomes approved
// again. A folder without the mark (an older release's)
// has its whole diary read once.
func (s *Adapter) Acked(id contract.ID, seq uint64) error {
	defer s.synced(id, seq)
	_, logID, err := s.ownLog(id, "")
	if err != nil {
		return err
	}
	var mark uint64
	var ok bool
	err = s.d.Store.View(func(x *store.Txn) error { mark, ok, err = logdb.Acked(x, logID); return err })
	if err != nil || (ok && seq <= mark) {
		return err
	}
	// One transaction reads the segments and writes them back with the
	// mark: a segment voided (deleted) meanwhile is a conflict and read
	// again, never written back as synced.
	return s.d.Store.UpdateRetrying(func(x *store.Txn) error { return markSynced(x, id.String(), logID, seq) })
}

// markSynced marks synced the approved segments of entries up to seq
// that the mark has not covered, and moves the mark to seq (at most the
// log's head).
func markSynced(x *store.Txn, cid string, logID ledger.LogID, seq uint64) error {
	head, err := logdb.Head(x, logID)
	if err != nil {
		return err
	}
	seq = min(seq, head.Seq)
	mark, ok, err := logdb.Acked(x, logID)
	if err != nil || (ok && seq <= mark) {
		return err
	}
	var segs []diary.Segment
	if ok {
		segs, ok, err = segmentsOf(x, cid, logID, mark+1, seq)
		if err != nil {
			return err
		}
	}
	if !ok {
		if segs, err = diarydb.All(x, cid); err != nil {
			return err
		}
	}
	for _, seg := range segs {
		if seg.State == diary.Approved && seg.Entry <= seq {
			seg.State = diary.Synced
			if err := diarydb.PutTxn(x, seg); err != nil {
				return err
			}
		}
	}
	return logdb.SetAcked(x, logID, seq)
}

// segmentsOf reads the segments of the entries from..to that still have
// one: an auto or manual entry's (a void and a contract record take none;
// a voided entry's was deleted with the void, and a slot may hold a later
// entry's segment since). ok is false when the log lacks a summary in the
// range, and the caller reads the whole diary instead.
func segmentsOf(x *store.Txn, cid string, logID ledger.LogID, from, to uint64) ([]diary.Segment, bool, error) {
	starts, err := logdb.Starts(x, logID, from, to)
	if err != nil || uint64(len(starts)) != to-from+1 {
		return nil, false, err
	}
	var out []diary.Segment
	for _, e := range starts {
		if e.Kind != ledger.KindAuto && e.Kind != ledger.KindManual {
			continue
		}
		seg, err := diarydb.GetTxn(x, cid, time.Unix(e.Start, 0).UTC())
		if errors.Is(err, diarydb.ErrNotFound) {
			continue
		}
		if err != nil {
			return nil, false, err
		}
		if seg.Entry == e.Seq {
			out = append(out, seg)
		}
	}
	return out, true, nil
}
