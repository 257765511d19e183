package syncp2p

import (
	"bytes"
	"errors"
	"testing"
)

// seedMsgs are valid messages of every type, as the protocol sends them.
func seedMsgs() []Msg {
	id := bytes.Repeat([]byte{0xc0}, 32)
	h := bytes.Repeat([]byte{0x5a}, 32)
	return []Msg{
		{Type: tHello, Version: Version, Contract: id},
		{Type: tHello, Version: Version, Contract: id, Pull: true},
		{Type: tHello, Version: Version, Contract: id, Acceptance: []byte("signed acceptance")},
		{Type: tHave, Contract: id, Seq: 3, Hash: h},
		{Type: tHave, Contract: id},
		{Type: tHave, Contract: id, Seq: 3, Hash: h, Records: [][]byte{[]byte("signed end"), []byte("signed amendment")}},
		{Type: tHave, Contract: id, Seq: 3, Hash: h, Refused: []Refusal{{Seq: 1, Reason: "manual time at 2026-11-20 09:00 UTC is before the contract started"}, {Seq: 3, Reason: "x"}}},
		{Type: tBatch, Contract: id, Seq: 4, Entries: [][]byte{[]byte("entry 4"), []byte("entry 5")}},
		{Type: tAck, Contract: id, Seq: 5, Hash: h},
		{Type: tAck, Contract: id, Seq: 5, Hash: h, Refused: []Refusal{{Seq: 4, Reason: "the segment at 2026-11-20 09:00 UTC has a webcam photo"}}},
		{Type: tReject, Code: "terms", Reason: "seq 5 has screenshots at 3 moments"},
		{Type: tCheckpoint, Contract: id, Note: []byte("workdiary.log/…\n5\nroot\n\n— sig\n")},
		{Type: tReceipt, Contract: id, Note: []byte("note")},
		{Type: tCheckpoint, Contract: id, Note: []byte("note"), Closes: [][]byte{[]byte("close of 2026-W47"), []byte("close of 2026-W48")}},
		{Type: tReceipt, Contract: id, Note: []byte("note"), Cosigned: [][]byte{[]byte("close of 2026-W47, cosigned")}},
		{Type: tBlobGet, Contract: id, Hash: h},
		{Type: tBlob, Hash: h},
		{Type: tAccept, Acceptance: []byte("signed acceptance")},
		{Type: tAccepted, Contract: id},
		{Type: tWait, Contract: id},
	}
}

// Decode never panics, and a message it accepts has exactly one byte
// form: encoding it again gives the input.
func FuzzDecode(f *testing.F) {
	for _, m := range seedMsgs() {
		b, err := m.Encode()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte{})
	f.Add([]byte{0xa0})
	f.Fuzz(func(t *testing.T, data []byte) {
		m, err := Decode(data)
		if err != nil {
			return
		}
		again, err := m.Encode()
		if err != nil {
			t.Fatalf("accepted %x, encode: %v", data, err)
		}
		if !bytes.Equal(again, data) {
			t.Fatalf("accepted %x, which encodes as %x", data, again)
		}
		if m.Type < tHello || m.Type > tWait {
			t.Fatalf("accepted unknown type %d", m.Type)
		}
		if m.Type == tHello && m.Version != Version {
			t.Fatalf("accepted hello of version %d", m.Version)
		}
		if len(m.Refused) > 0 && m.Type != tHave && m.Type != tAck {
			t.Fatalf("accepted refusals on message type %d", m.Type)
		}
		if (m.Closes != nil && (m.Type != tCheckpoint || len(m.Closes) > MaxClosesPerRound)) ||
			(m.Cosigned != nil && (m.Type != tReceipt || len(m.Cosigned) > MaxClosesPerRound)) {
			t.Fatalf("accepted %d closes and %d cosigned on message type %d", len(m.Closes), len(m.Cosigned), m.Type)
		}
		for i, r := range m.Refused {
			if r.Seq == 0 || r.Seq > m.Seq || (i > 0 && r.Seq <= m.Refused[i-1].Seq) || r.Reason == "" || len(r.Reason) > MaxRefusalReason {
				t.Fatalf("accepted refusal %d %+v of a message at seq %d", i, r, m.Seq)
			}
		}
	})
}

// Every seed round-trips, so the fuzzer starts from real messages.
func TestDecodeSeeds(t *testing.T) {
	for _, m := range seedMsgs() {
		b, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		got, err := Decode(b)
		if err != nil {
			t.Fatalf("type %d: %v", m.Type, err)
		}
		again, _ := got.Encode()
		if !bytes.Equal(again, b) {
			t.Errorf("type %d: decoded message encodes differently", m.Type)
		}
	}
}

// Week closes ride only beside a checkpoint (the contractor's) or a
// receipt (the employer's cosignatures), a few of a note's size each.
func TestDecodeRefusesStrayCloses(t *testing.T) {
	id := bytes.Repeat([]byte{0xc0}, 32)
	note := []byte("a close")
	for name, m := range map[string]Msg{
		"closes on a batch":        {Type: tBatch, Contract: id, Seq: 1, Entries: [][]byte{[]byte("e")}, Closes: [][]byte{note}},
		"cosigned on a checkpoint": {Type: tCheckpoint, Contract: id, Note: note, Cosigned: [][]byte{note}},
		"closes on a receipt":      {Type: tReceipt, Contract: id, Note: note, Closes: [][]byte{note}},
		"too many":                 {Type: tCheckpoint, Contract: id, Note: note, Closes: bytes.SplitAfter(bytes.Repeat([]byte("x"), MaxClosesPerRound+1), []byte("x"))[:MaxClosesPerRound+1]},
		"an empty close":           {Type: tCheckpoint, Contract: id, Note: note, Closes: [][]byte{{}}},
		"an oversized close":       {Type: tReceipt, Contract: id, Note: note, Cosigned: [][]byte{make([]byte, 8<<10+1)}},
	} {
		b, err := m.Encode()
		if err != nil {
			t.Fatal(err)
		}
		if _, err := Decode(b); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
}
