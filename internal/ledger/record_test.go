package ledger

import (
	"errors"
	"testing"
)

// TestRecordEntry: a record entry binds its bytes into the chain, takes
// no segment (a tracked segment at the same start is no overlap), cannot
// be voided, and has one form: nothing besides the record, its start the
// segment of its approval.
func TestRecordEntry(t *testing.T) {
	b := newBuilder(t)
	auto := b.add(autoEntry(day0900))
	rec := b.add(BindRecord([]byte("a signed contract record"), auto.Entry.ApprovedAt))
	b.add(autoEntry(rec.Entry.Start)) // the record's segment is still free
	got, err := VerifyChain(testContract, pub(contractorKey), Head{}, nil, b.bytes()...)
	if err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	if string(got[1].Entry.Record) != "a signed contract record" || got[1].Entry.Kind != KindRecord {
		t.Errorf("record entry reads back as %+v", got[1].Entry)
	}
	void := Void(rec.Summary(), "take it back", rec.Entry.ApprovedAt+60)
	void.ContractID, void.LogID, void.Seq, void.Prev = testContract, LogIDOf(testContract, pub(contractorKey)), b.head.Seq+1, b.head.Hash
	s, err := Sign(contractorKey, void)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyChain(testContract, pub(contractorKey), b.head, historyOf(b.all), s.Bytes); !errors.Is(err, ErrBadVoid) {
		t.Errorf("void of a record: %v, want ErrBadVoid", err)
	}

	bad := []struct {
		name   string
		change func(*Entry)
	}{
		{"no record", func(e *Entry) { e.Record = nil }},
		{"oversized record", func(e *Entry) { e.Record = make([]byte, MaxRecordBytes+1) }},
		{"memo", func(e *Entry) { e.Memo = "x" }},
		{"minutes", func(e *Entry) { e.Minutes = []Minute{{Index: 0}} }},
		{"start not its approval's segment", func(e *Entry) { e.Start -= SegmentSeconds }},
		{"record on a manual entry", func(e *Entry) { e.Kind = KindManual }},
	}
	for _, tt := range bad {
		e := BindRecord([]byte("r"), day1800+30)
		e.Seq = 1
		tt.change(&e)
		if err := Validate(e); !errors.Is(err, ErrInvalidEntry) {
			t.Errorf("%s: Validate = %v, want ErrInvalidEntry", tt.name, err)
		}
	}
}
