package syncstore_test

import (
	"encoding/hex"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/syncp2p"
	"github.com/workdiary/workdiary/internal/syncp2p/syncp2ptest"
)

// Acked across rounds: what the employer holds turns synced, the rest
// stays approved, and a round with nothing new, or an older ack, changes
// nothing, before and after the folder is reopened.
func TestAckedMarksWhatTheEmployerHolds(t *testing.T) {
	d := newOwnDiary(t)
	d.approve(d.auto(0), d.auto(1), d.auto(2))
	d.approve(d.auto(3), d.auto(4))
	d.ack(2)
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced, 2: diary.Approved, 3: diary.Approved, 4: diary.Approved})
	d.wantMark(2)
	d.ack(2)
	d.ack(1)
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced, 2: diary.Approved, 3: diary.Approved, 4: diary.Approved})
	d.wantMark(2)

	d.s = d.s.reopen(t)
	d.ack(5)
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced, 2: diary.Synced, 3: diary.Synced, 4: diary.Synced})
	d.wantMark(5)
	d.record(5)
	d.ack(5)
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced, 2: diary.Synced, 3: diary.Synced, 4: diary.Synced, 5: diary.Recorded})
}

// A void withdraws a synced segment and manual time fills its slot with a
// later entry; a void of a segment never acked, and a contract record (an
// amendment bound into the log), take no segment: each segment turns
// synced exactly when the employer holds its own entry.
func TestAckedAfterVoidManualAndRecord(t *testing.T) {
	d := newOwnDiary(t)
	d.approve(d.auto(0), d.auto(1)) // 1, 2
	d.ack(2)
	d.void(0)              // 3
	d.approve(d.manual(0)) // 4: the slot again, a later entry
	d.approve(d.auto(2))   // 5
	d.void(2)              // 6: never acked, withdrawn
	d.bindRecord()         // 7
	d.approve(d.auto(3))   // 8
	d.want(map[int]diary.State{0: diary.Approved, 1: diary.Synced, 3: diary.Approved})
	d.ack(3)
	d.want(map[int]diary.State{0: diary.Approved, 1: diary.Synced, 3: diary.Approved})
	d.ack(7)
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced, 3: diary.Approved})
	d.wantMark(7)
	d.ack(8)
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced, 3: diary.Synced})
}

// A refused entry's segment counts as synced once the employer holds it,
// as it always has: the refusal is kept in the log, not in the state.
func TestAckedAfterRefusal(t *testing.T) {
	d := newOwnDiary(t)
	d.approve(d.auto(0), d.auto(1))
	if err := d.s.adapter.Refused(d.cid, []syncp2p.Refusal{{Seq: 1, Reason: "over the weekly limit"}}); err != nil {
		t.Fatal(err)
	}
	d.ack(2)
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced})
}

// A round with nothing new reads no segment: the mark answers it. A
// segment set approved under the mark by hand (no operation does so)
// stays as it is; with the mark gone, the whole diary is read again and
// it turns synced.
func TestAckedNothingNewReadsNoDiary(t *testing.T) {
	d := newOwnDiary(t)
	d.approve(d.auto(0), d.auto(1), d.auto(2))
	d.ack(3)
	forged := d.get(0)
	forged.State = diary.Approved
	if err := diarydb.New(d.s.store).Put(forged); err != nil {
		t.Fatal(err)
	}
	for _, seq := range []uint64{3, 2} {
		if err := d.s.adapter.Acked(d.cid, seq); err != nil {
			t.Fatal(err)
		}
	}
	d.want(map[int]diary.State{0: diary.Approved, 1: diary.Synced, 2: diary.Synced})

	d.dropMark()
	d.ack(3)
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced, 2: diary.Synced})
	d.wantMark(3)
}

// A folder an older release wrote has no mark: the first ack reads the
// whole diary, as that release did, and writes the mark; the next reads
// only what is new.
func TestAckedFolderWithoutMark(t *testing.T) {
	d := newOwnDiary(t)
	d.approve(d.auto(0), d.auto(1), d.auto(2), d.auto(3))
	d.ack(1)
	d.dropMark() // as the older release left it: segment 0 synced, no mark
	d.ack(3)
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced, 2: diary.Synced, 3: diary.Approved})
	d.wantMark(3)
	d.ack(4)
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced, 2: diary.Synced, 3: diary.Synced})
}

// An ack beyond the log's head (the protocol refuses one before it gets
// here) moves the mark only to the head, so the entries approved next
// still turn synced.
func TestAckedBeyondHead(t *testing.T) {
	d := newOwnDiary(t)
	d.approve(d.auto(0), d.auto(1))
	d.ack(5)
	d.wantMark(2)
	d.approve(d.auto(2))
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced, 2: diary.Approved})
	d.ack(3)
	d.want(map[int]diary.State{0: diary.Synced, 1: diary.Synced, 2: diary.Synced})
}

// ownDiary is a contractor's diary and own log on a real store, changed
// as the node's approve, delete and manual-time operations change them.
type ownDiary struct {
	t     testing.TB
	s     side
	cid   contract.ID
	logID ledger.LogID
}

func newOwnDiary(t testing.TB) *ownDiary {
	p := newPair(t)
	return &ownDiary{t: t, s: p.con, cid: p.id, logID: ledger.LogIDOf(p.id, p.con.id.PublicKey())}
}

// slot i is the i-th 10-minute slot of the day before the suite's clock.
func slot(i int) time.Time {
	return syncp2ptest.Base.Add(-24*time.Hour + time.Duration(i)*diary.SegmentLength)
}

func (d *ownDiary) auto(i int) diary.Segment {
	s := diary.Segment{Contract: d.cid.String(), Start: slot(i), State: diary.Recorded, Kind: diary.Auto, Memo: "parser"}
	s.AddMinute(diary.Minute{Index: 0, Keys: 10})
	return s
}

func (d *ownDiary) manual(i int) diary.Segment {
	s := diary.Segment{Contract: d.cid.String(), Start: slot(i), State: diary.Recorded, Kind: diary.Manual, Memo: "call"}
	for m := range 10 {
		s.AddMinute(diary.Minute{Index: m})
	}
	return s
}

// record keeps segment i as recorded, not approved.
func (d *ownDiary) record(i int) {
	if err := diarydb.New(d.s.store).Put(d.auto(i)); err != nil {
		d.t.Fatal(err)
	}
}

// update runs fn on the contractor's log inside one transaction, as the
// node's approve and void do.
func (d *ownDiary) update(fn func(x *store.Txn, l *ledger.Log) ([]ledger.Signed, error)) {
	d.t.Helper()
	err := d.s.store.Update(func(x *store.Txn) error {
		head, err := logdb.Head(x, d.logID)
		if err != nil {
			return err
		}
		l, err := ledger.NewLog(d.s.id.PrivateKey(), d.cid, head, logdb.NewHistory(x, d.logID))
		if err != nil {
			return err
		}
		signed, err := fn(x, l)
		if err != nil {
			return err
		}
		return logdb.Append(x, d.logID, signed)
	})
	if err != nil {
		d.t.Fatal(err)
	}
}

func (d *ownDiary) approve(segs ...diary.Segment) {
	d.t.Helper()
	now := d.s.clk.Now()
	d.update(func(x *store.Txn, l *ledger.Log) ([]ledger.Signed, error) {
		var out []ledger.Signed
		for _, seg := range segs {
			e, err := seg.LedgerEntry(now)
			if err != nil {
				return nil, err
			}
			s, err := l.Append(e)
			if err != nil {
				return nil, err
			}
			seg.State, seg.Entry = diary.Approved, s.Entry.Seq
			if err := diarydb.PutTxn(x, seg); err != nil {
				return nil, err
			}
			out = append(out, s)
		}
		return out, nil
	})
}

// void deletes approved segment i by a void entry, as the node's delete
// does.
func (d *ownDiary) void(i int) {
	d.t.Helper()
	seg := d.get(i)
	d.update(func(x *store.Txn, l *ledger.Log) ([]ledger.Signed, error) {
		target, _ := logdb.NewHistory(x, d.logID).Entry(seg.Entry)
		s, err := l.Append(ledger.Void(target, "deleted by the contractor", d.s.clk.Now().Unix()))
		if err != nil {
			return nil, err
		}
		return []ledger.Signed{s}, diarydb.DeleteTxn(x, seg.Contract, seg.Start)
	})
}

func (d *ownDiary) bindRecord() {
	d.t.Helper()
	d.update(func(x *store.Txn, l *ledger.Log) ([]ledger.Signed, error) {
		s, err := l.Append(ledger.BindRecord([]byte("a signed contract record"), d.s.clk.Now().Unix()))
		return []ledger.Signed{s}, err
	})
}

func (d *ownDiary) get(i int) diary.Segment {
	d.t.Helper()
	s, err := diarydb.New(d.s.store).Get(d.cid.String(), slot(i))
	if err != nil {
		d.t.Fatal(err)
	}
	return s
}

// ack is the employer's ack of seq; the states after it must be what
// reading the whole diary gives (Approved with Entry <= seq turns Synced).
func (d *ownDiary) ack(seq uint64) {
	d.t.Helper()
	before := d.all()
	if err := d.s.adapter.Acked(d.cid, seq); err != nil {
		d.t.Fatalf("acked %d: %v", seq, err)
	}
	after := d.all()
	if len(after) != len(before) {
		d.t.Fatalf("acked %d: %d segments before, %d after", seq, len(before), len(after))
	}
	for i, s := range before {
		if s.State == diary.Approved && s.Entry <= seq {
			s.State = diary.Synced
		}
		if !s.Start.Equal(after[i].Start) || s.State != after[i].State || s.Entry != after[i].Entry {
			d.t.Errorf("acked %d: segment at %s is %s (entry %d), reading the whole diary makes it %s (entry %d)",
				seq, after[i].Start.Format("15:04"), after[i].State, after[i].Entry, s.State, s.Entry)
		}
	}
}

func (d *ownDiary) all() []diary.Segment {
	d.t.Helper()
	segs, err := diarydb.New(d.s.store).Range(d.cid.String(), time.Time{}, syncp2ptest.Base.Add(time.Hour))
	if err != nil {
		d.t.Fatal(err)
	}
	return segs
}

// want checks the states of the diary's segments by slot: exactly those
// slots have segments.
func (d *ownDiary) want(states map[int]diary.State) {
	d.t.Helper()
	segs := d.all()
	if len(segs) != len(states) {
		d.t.Errorf("%d segments, want %d", len(segs), len(states))
	}
	for _, s := range segs {
		i := int(s.Start.Sub(slot(0)) / diary.SegmentLength)
		if w, ok := states[i]; !ok || s.State != w {
			d.t.Errorf("segment %d (entry %d) is %s, want %q", i, s.Entry, s.State, w)
		}
	}
}

func (d *ownDiary) wantMark(seq uint64) {
	d.t.Helper()
	var got uint64
	var ok bool
	err := d.s.store.View(func(x *store.Txn) error {
		var err error
		got, ok, err = logdb.Acked(x, d.logID)
		return err
	})
	if err != nil || !ok || got != seq {
		d.t.Fatalf("mark %d (kept %v, %v), want %d", got, ok, err, seq)
	}
}

// dropMark deletes the mark, by its key in docs/format.md §10, as a
// folder of a release before it has none.
func (d *ownDiary) dropMark() {
	d.t.Helper()
	err := d.s.store.Update(func(x *store.Txn) error { return x.Delete([]byte("log/" + hex.EncodeToString(d.logID[:]) + "/acked")) })
	if err != nil {
		d.t.Fatal(err)
	}
}
