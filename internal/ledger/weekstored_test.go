package ledger

import (
	"bytes"
	"fmt"
	"testing"
)

// TestStoredLogClosesAsNewWeekClose: read from the entries' bytes alone, a
// log gives the same close as decoded, for a week that takes all, some
// or none of its time, with a void and a contract record among them, and
// for each of its prefixes.
func TestStoredLogClosesAsNewWeekClose(t *testing.T) {
	b := goodLog(t)
	b.add(BindRecord([]byte("a signed contract record"), day1800))
	b.add(autoEntry(day0900 + 7*24*3600))
	logID := LogIDOf(testContract, pub(contractorKey))
	stored, err := ReadStoredLog(logID, b.bytes())
	if err != nil {
		t.Fatal(err)
	}
	day := int64(24 * 3600)
	for _, w := range [][2]int64{
		{day0900 - day, day0900 + 6*day}, {day0900 + 1200, day0900 + 3600}, {day0900 + 30*day, day0900 + 37*day}, {day0900 + 600, day0900 + 7*day + 1},
	} {
		for size := range len(b.all) + 1 {
			want := NewWeekClose(logID, b.all[:size], w[0], w[1], []byte("acceptance"))
			l := stored.Upto(size)
			if got := l.WeekCloseAt(l.Checkpoint(), w[0], w[1], []byte("acceptance")); got != want {
				t.Fatalf("week %v at size %d: stored log gives %v, decoded %v", w, size, got, want)
			}
			in := WeekEntries(b.all[:size], w[0], w[1])
			proofs, err := WeekProofs(b.all[:size], uint64(size), in)
			if err != nil {
				t.Fatal(err)
			}
			week, got, err := l.WeekOf(w[0], w[1])
			if err != nil || len(week) != len(in) || fmt.Sprint(got) != fmt.Sprint(proofs) {
				t.Fatalf("week %v at size %d: stored log gives %d entries (%v), decoded %d", w, size, len(week), err, len(in))
			}
			for i := range in {
				if !bytes.Equal(week[i], in[i].Bytes) {
					t.Fatalf("week %v at size %d: entry %d differs", w, size, i)
				}
			}
		}
	}
	if _, err := ReadStoredLog(logID, [][]byte{[]byte("not an entry")}); err == nil {
		t.Fatal("a stored log took bytes that are no entry")
	}
}

// BenchmarkWeekCloseRead: what a week close reads of a stored week (240
// entries), decoded whole against only the kind and start of each.
func BenchmarkWeekCloseRead(b *testing.B) {
	log := benchLog(b, 240)
	b.Run("decoded", func(b *testing.B) {
		for b.Loop() {
			for _, e := range log {
				if _, err := ReadOwnEntry(e); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
	b.Run("stored", func(b *testing.B) {
		for b.Loop() {
			if _, err := ReadStoredLog(LogID{}, log); err != nil {
				b.Fatal(err)
			}
		}
	})
}
