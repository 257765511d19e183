package logdb

import (
	"bytes"
	"testing"
)

// A recent record read from the store never panics the reader, and one
// that reads round-trips (a damaged record is ignored, never half-used).
func FuzzRecentDecode(f *testing.F) {
	f.Add(encodeRecent(Recent{Head: 7}))
	f.Add(encodeRecent(Recent{Head: 2600, HasLatest: true, Latest: 1_780_012_800, LatestMemo: "parser work",
		From: 1_977_000, Quarters: map[int64]Totals{1_977_000: {Minutes: 10, Active: 9}, 1_977_800: {Minutes: 5}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		r, err := decodeRecent(b)
		if err != nil {
			return
		}
		// Bytes that read (long-form varints, a quarter twice, quarters
		// out of order) give a record whose own bytes read back to it.
		again := encodeRecent(r)
		r2, err := decodeRecent(again)
		if err != nil || !bytes.Equal(encodeRecent(r2), again) {
			t.Fatalf("record %x reads as %+v, which does not round-trip: %v", b, r, err)
		}
	})
}
