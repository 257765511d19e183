package syncp2p

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"reflect"
	"testing"

	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/ledger"
)

// seedReply is a reply of every member, its receipt a real note of a log
// of 5 entries.
func seedReply(t testing.TB) Reply {
	_, key, _ := ed25519.GenerateKey(rand.Reader)
	cp := ledger.Checkpoint{LogID: [32]byte{7}, Size: 5, Root: [32]byte{9}}
	note, err := ledger.SignCheckpoint(key, "contractor", cp)
	if err != nil {
		t.Fatal(err)
	}
	return Reply{Contract: [32]byte{0xc0}, Receipt: note, Cosigned: [][]byte{[]byte("close of 2026-W47"), []byte("close of 2026-W48")},
		Records: [][]byte{[]byte("signed pause")}, Refused: []Refusal{{Seq: 2, Reason: "a webcam photo"}, {Seq: 5, Reason: "x"}}}
}

func membersOf(t testing.TB, r Reply) []Member {
	ms, err := r.Members()
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// A reply's members read back as the same reply; each member is named
// once, known, and within its caps.
func TestReplyMembers(t *testing.T) {
	r := seedReply(t)
	got, err := DecodeReply(membersOf(t, r))
	if err != nil || !reflect.DeepEqual(got, r) {
		t.Fatalf("round trip: %+v %v", got, err)
	}
	ms := membersOf(t, r)
	refusals, _ := cose.Marshal([]Refusal{{Seq: 6, Reason: "after the receipt"}})
	for name, bad := range map[string][]Member{
		"a member twice":       append(ms[:len(ms):len(ms)], ms[2]),
		"an unknown member":    append(ms[:len(ms):len(ms)], Member{"notes.txt", []byte("hi")}),
		"no format":            ms[1:],
		"a log file's format":  append([]Member{{FormatMember, []byte(FormatLog + "\n")}}, ms[1:]...),
		"a gap in the closes":  append(ms[:len(ms):len(ms)], Member{CloseMember(4), []byte("close")}),
		"a close twice":        append(ms[:len(ms):len(ms)], Member{CloseMember(3), r.Cosigned[0]}),
		"refusals past it":     replaceMember(ms, replyRefused, refusals),
		"an oversized record":  replaceMember(ms, "records/0001.cose", make([]byte, ledger.MaxRecordBytes+1)),
		"a contract ID in hex": replaceMember(ms, replyContract, []byte("c0")),
	} {
		if _, err := DecodeReply(bad); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v, want ErrMalformed", name, err)
		}
	}
	if _, err := FileKind([]byte("workdiary-reply 3\n")); !errors.Is(err, ErrNewerFile) {
		t.Errorf("a newer reply: %v, want ErrNewerFile", err)
	}
	if k, err := FileKind(nil); k != FormatLog || err != nil {
		t.Errorf("a log file of the first version: %q %v", k, err)
	}
}

func replaceMember(ms []Member, name string, data []byte) []Member {
	out := append([]Member(nil), ms...)
	for i := range out {
		if out[i].Name == name {
			out[i].Data = data
		}
	}
	return out
}

// DecodeReply never panics, and a reply it accepts keeps to the caps and
// reads back the same from its own members.
func FuzzDecodeReply(f *testing.F) {
	r := seedReply(f)
	refusals, _ := cose.Marshal(r.Refused)
	f.Add(r.Receipt, r.Cosigned[0], r.Records[0], refusals, "")
	f.Add(r.Receipt, []byte{}, []byte{}, []byte{}, "closes/0002.note")
	f.Fuzz(func(t *testing.T, receipt, close, record, refused []byte, extra string) {
		ms := []Member{{FormatMember, []byte(FormatReply + "\n")}, {replyContract, bytes.Repeat([]byte("c0"), 32)}}
		ms[1].Data = append(ms[1].Data, '\n')
		for name, b := range map[string][]byte{replyReceipt: receipt, CloseMember(1): close, "records/0001.cose": record, replyRefused: refused} {
			if len(b) > 0 {
				ms = append(ms, Member{name, b})
			}
		}
		if extra != "" {
			ms = append(ms, Member{extra, close})
		}
		got, err := DecodeReply(ms)
		if err != nil {
			return
		}
		if len(got.Cosigned) > MaxReplyCloses || len(got.Records) > MaxRecords || len(got.Refused) > MaxHaveRefusals {
			t.Fatalf("accepted %d closes, %d records, %d refusals", len(got.Cosigned), len(got.Records), len(got.Refused))
		}
		size, _ := got.size()
		for _, x := range got.Refused {
			if x.Seq == 0 || x.Seq > size {
				t.Fatalf("accepted a refusal of seq %d with a receipt of %d entries", x.Seq, size)
			}
		}
		again, err := DecodeReply(membersOf(t, got))
		if err != nil || !reflect.DeepEqual(again, got) {
			t.Fatalf("an accepted reply reads back as %+v %v", again, err)
		}
	})
}
