package syncp2p

import (
	"errors"
	"slices"
	"testing"

	"github.com/workdiary/workdiary/internal/ledger"
)

// The employer's have carries the contract records it wants bound; the
// contractor's sender gets them before it sends anything.
func TestHaveCarriesRecords(t *testing.T) {
	w := newWorld(t, "tcp", defaultTerms())
	w.chain.good(2)
	w.serve(w.chain.bytes())
	records := [][]byte{[]byte("record one"), []byte("record two")}
	w.emp.rcv.proposed = records
	if err := w.push(); err != nil {
		t.Fatalf("push: %v", err)
	}
	w.checkSame(t)
	if !slices.EqualFunc(w.con.snd.bound, records, slices.Equal) {
		t.Errorf("the contractor was handed %q, want %q", w.con.snd.bound, records)
	}
}

// Records travel only in a have, a few at a time, each within a record
// entry's bound.
func TestRecordsDecode(t *testing.T) {
	id := make([]byte, 32)
	tests := []struct {
		name string
		m    Msg
		ok   bool
	}{
		{"have with records", Msg{Type: tHave, Contract: id, Records: [][]byte{{1}}}, true},
		{"batch with records", Msg{Type: tBatch, Contract: id, Seq: 1, Records: [][]byte{{1}}}, false},
		{"too many", Msg{Type: tHave, Contract: id, Records: slices.Repeat([][]byte{{1}}, MaxRecords+1)}, false},
		{"oversized", Msg{Type: tHave, Contract: id, Records: [][]byte{make([]byte, ledger.MaxRecordBytes+1)}}, false},
		{"empty record", Msg{Type: tHave, Contract: id, Records: [][]byte{{}}}, false},
	}
	for _, tt := range tests {
		b, err := tt.m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		_, err = Decode(b)
		if ok := err == nil; ok != tt.ok || (!ok && !errors.Is(err, ErrMalformed)) {
			t.Errorf("%s: Decode = %v, want ok %v", tt.name, err, tt.ok)
		}
	}
}
