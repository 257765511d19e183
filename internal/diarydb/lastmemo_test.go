package diarydb_test

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/store"
)

// The last memo survives a reopen (it is read from the stored segments),
// reads past manual time added later, and is the contract's own.
func TestLastMemoAfterReopen(t *testing.T) {
	dir := t.TempDir()
	t0 := time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)
	put := func(db *diarydb.DB, contract string, at time.Duration, kind diary.Kind, memo string) {
		t.Helper()
		s := diary.Segment{Contract: contract, Start: t0.Add(at), State: diary.Recorded, Kind: kind, Memo: memo}
		s.AddMinute(diary.Minute{Index: 0, Keys: 1})
		if err := db.Put(s); err != nil {
			t.Fatal(err)
		}
	}
	st, err := store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	db := diarydb.New(st)
	if m, err := db.LastMemo("aaa"); err != nil || m != "" {
		t.Fatalf("LastMemo of an empty diary = %q, %v; want \"\"", m, err)
	}
	put(db, "aaa", 0, diary.Auto, "first task")
	put(db, "aaa", 10*time.Minute, diary.Auto, "parser tests")
	put(db, "aaa", 30*time.Minute, diary.Manual, "phone call")
	put(db, "bbb", time.Hour, diary.Auto, "other contract")
	st.Close()

	st, err = store.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	db = diarydb.New(st)
	for contract, want := range map[string]string{"aaa": "parser tests", "bbb": "other contract", "ccc": ""} {
		if got, err := db.LastMemo(contract); err != nil || got != want {
			t.Errorf("LastMemo(%s) = %q, %v; want %q", contract, got, err, want)
		}
	}
}
