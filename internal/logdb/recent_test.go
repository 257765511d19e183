package logdb_test

import (
	"crypto/ed25519"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/store"
)

// recentModel is what a log's recent record must say, worked out from
// the entries alone: the live segments by start.
type recentModel struct {
	head uint64
	live map[int64]ledger.Signed
}

func (m recentModel) sum(from, to int64) logdb.Totals {
	var t logdb.Totals
	for start, s := range m.live {
		if start >= from && start < to {
			add := logdb.TotalsOf(s.Entry)
			t.Minutes, t.Active = t.Minutes+add.Minutes, t.Active+add.Active
		}
	}
	return t
}

func (m recentModel) latest() (int64, string, bool) {
	var start int64
	var memo string
	found := false
	for s, e := range m.live {
		if !found || s > start {
			start, memo, found = s, e.Entry.Memo, true
		}
	}
	return start, memo, found
}

// randomLog signs n random changes to a log: segments recorded (auto or
// manual) in free ten-minute slots over three weeks, voids of live ones,
// and their slots recorded again, as amendments are; and contract
// records (ends, pauses, new terms), which take no segment.
func randomLog(t *testing.T, rng *rand.Rand, seed byte, n int) (ledger.LogID, []ledger.Signed, recentModel) {
	t.Helper()
	l, err := ledger.NewLog(ed25519.NewKeyFromSeed(append(make([]byte, 31), seed)), [32]byte{seed}, ledger.Head{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	m := recentModel{live: map[int64]ledger.Signed{}}
	var log []ledger.Signed
	for len(log) < n {
		var e ledger.Entry
		starts := make([]int64, 0, len(m.live))
		for s := range m.live {
			starts = append(starts, s)
		}
		if rng.IntN(12) == 0 { // a contract record (an end, a pause, an amendment of terms): no segment
			e = ledger.BindRecord([]byte("a signed contract record"), int64(dayBase+rng.IntN(21*86400)))
		} else if len(starts) > 0 && rng.IntN(4) == 0 {
			v := m.live[starts[rng.IntN(len(starts))]]
			e = ledger.Void(v.Summary(), "amended", dayBase+30*86400)
			delete(m.live, v.Entry.Start)
		} else {
			start := int64(dayBase + rng.IntN(21*144)*600)
			if _, taken := m.live[start]; taken {
				continue
			}
			e = ledger.Entry{Start: start, Kind: ledger.KindAuto, Memo: fmt.Sprint("memo ", len(log)), ApprovedAt: dayBase + 30*86400}
			if rng.IntN(8) == 0 {
				e.Kind = ledger.KindManual
			} else {
				for i := range rng.IntN(10) + 1 {
					e.Minutes = append(e.Minutes, ledger.Minute{Index: uint8(i), Keys: uint32(rng.IntN(2) * 5)})
				}
			}
		}
		s, err := l.Append(e)
		if err != nil {
			t.Fatal(err)
		}
		if e.Kind == ledger.KindAuto || e.Kind == ledger.KindManual {
			m.live[e.Start] = s
		}
		log = append(log, s)
	}
	m.head = uint64(len(log))
	return l.ID(), log, m
}

func recentOf(t *testing.T, st *store.Store, logID ledger.LogID) logdb.Recent {
	t.Helper()
	var all map[ledger.LogID]logdb.Recent
	if err := st.View(func(x *store.Txn) error { var err error; all, err = logdb.RecentAll(x); return err }); err != nil {
		t.Fatal(err)
	}
	r, ok := all[logID]
	if !ok {
		t.Fatalf("no recent record of log %x", logID[:4])
	}
	return r
}

// checkRecent holds the record to the model: its head and newest
// segment, and every sum the record covers, for windows ending after the
// newest segment (the team view's) and at random.
func checkRecent(t *testing.T, rng *rand.Rand, r logdb.Recent, m recentModel) {
	t.Helper()
	start, memo, ok := m.latest()
	if r.Head != m.head || r.HasLatest != ok || ok && (r.Latest != start || r.LatestMemo != memo) {
		t.Fatalf("record head %d latest %v %d %q; want %d %v %d %q", r.Head, r.HasLatest, r.Latest, r.LatestMemo, m.head, ok, start, memo)
	}
	for range 300 {
		to := start + 600 + int64(rng.IntN(3*86400))
		from := to - 600 - int64(rng.IntN(8*96))*900
		from -= from % 900
		if rng.IntN(3) == 0 { // anywhere, covered or not
			from = int64(dayBase + rng.IntN(21*96)*900)
			to = from + int64(rng.IntN(8*96)+1)*900
		} else if !r.Covers(from, to) {
			t.Fatalf("a window of a week and a day after the newest segment, [%d, %d), is not covered (from quarter %d)", from, to, r.From)
		}
		if r.Covers(from, to) {
			if got, want := r.Sum(from, to), m.sum(from, to); got != want {
				t.Fatalf("sum of [%d, %d): %v, want %v", from, to, got, want)
			}
		}
	}
}

// The recent record equals what the entries say after random appends,
// voids and amendments in random batches, after reopening the store, and
// when a folder without records (or without the quarter index) gets them
// from EnsureRecent.
func TestRecentFollowsTheLog(t *testing.T) {
	for seed := range byte(4) {
		rng := rand.New(rand.NewPCG(uint64(seed), 17))
		dir := t.TempDir()
		st, err := store.Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		logID, log, m := randomLog(t, rng, seed+1, 300+int(seed)*200)
		for i := 0; i < len(log); {
			part := log[i:min(i+1+rng.IntN(40), len(log))]
			i += len(part)
			if err := st.Update(func(x *store.Txn) error { return logdb.Append(x, logID, part) }); err != nil {
				t.Fatal(err)
			}
			if rng.IntN(5) == 0 { // a prefix of the log holds its own model
				pm := recentModel{head: uint64(i), live: map[int64]ledger.Signed{}}
				for _, s := range log[:i] {
					switch s.Entry.Kind {
					case ledger.KindVoid:
						delete(pm.live, s.Entry.Start)
					case ledger.KindAuto, ledger.KindManual:
						pm.live[s.Entry.Start] = s
					}
				}
				checkRecent(t, rng, recentOf(t, st, logID), pm)
			}
		}
		want := recentOf(t, st, logID)
		checkRecent(t, rng, want, m)
		st.Close()
		if st, err = store.Open(dir); err != nil {
			t.Fatal(err)
		}
		if got := recentOf(t, st, logID); !reflect.DeepEqual(got, want) {
			t.Fatalf("after reopening: %+v, want %+v", got, want)
		}
		// A folder from before the records, then also before the quarter index.
		for _, prefix := range []string{"logrecent", "log/" + hexID(logID) + "/q"} {
			deletePrefix(t, st, []byte("logrecent"))
			deletePrefix(t, st, []byte(prefix))
			if err := logdb.EnsureRecent(st); err != nil {
				t.Fatal(err)
			}
			if got := recentOf(t, st, logID); !reflect.DeepEqual(got, want) {
				t.Fatalf("built for an older folder (without %s): %+v, want %+v", prefix, got, want)
			}
		}
		st.Close()
	}
}

func hexID(id ledger.LogID) string { return fmt.Sprintf("%x", id[:]) }

// EnsureRecent marks the folder once every log has its record, and a
// folder with the mark is not scanned again.
func TestEnsureRecentOnce(t *testing.T) {
	st, err := store.Open(t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	rng := rand.New(rand.NewPCG(9, 9))
	var ids []ledger.LogID
	for seed := range byte(3) {
		logID, log, _ := randomLog(t, rng, seed+10, 30)
		if err := st.Update(func(x *store.Txn) error { return logdb.Append(x, logID, log) }); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, logID)
	}
	deletePrefix(t, st, []byte("logrecent"))
	if err := logdb.EnsureRecent(st); err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		recentOf(t, st, id)
	}
	deletePrefix(t, st, []byte("logrecent/"))
	if err := logdb.EnsureRecent(st); err != nil {
		t.Fatal(err)
	}
	var all map[ledger.LogID]logdb.Recent
	_ = st.View(func(x *store.Txn) error { all, err = logdb.RecentAll(x); return err })
	if len(all) != 0 {
		t.Fatalf("a marked folder was rebuilt: %d records", len(all))
	}
}
