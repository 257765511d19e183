package ledger

import (
	"errors"
	"reflect"
	"strings"
	"testing"
)

// goodLog is a log that uses every rule: two tracked segments, manual time,
// a void of it, and new manual time in the freed slot.
func goodLog(t *testing.T) *builder {
	b := newBuilder(t)
	b.add(autoEntry(day0900))
	b.add(autoEntry(day0900 + 600))
	manual := b.add(manualEntry(day0900+3600, "call with the client"))
	b.add(Void(manual.Summary(), "logged twice", day1800))
	b.add(manualEntry(day0900+3600, "call with the client, 10 min"))
	return b
}

func TestVerifyChainAcceptsGoodLog(t *testing.T) {
	b := goodLog(t)
	got, err := VerifyChain(testContract, pub(contractorKey), Head{}, nil, b.bytes()...)
	if err != nil {
		t.Fatalf("VerifyChain: %v", err)
	}
	if len(got) != len(b.all) || got[len(got)-1].Head() != b.head {
		t.Fatalf("got %d entries ending at %v, want %d ending at %v", len(got), got[len(got)-1].Head(), len(b.all), b.head)
	}
}

func TestVerifyChainRejects(t *testing.T) {
	tests := []struct {
		name   string
		build  func(b *builder) [][]byte
		want   error
		reason string
	}{
		{"gap", func(b *builder) [][]byte {
			all := goodLog(b.t).bytes()
			return [][]byte{all[0], all[1], all[3]}
		}, ErrGap, "seq 4, want 3"},
		{"reorder", func(b *builder) [][]byte {
			all := goodLog(b.t).bytes()
			return [][]byte{all[0], all[2], all[1]}
		}, ErrGap, "out of order"},
		{"replayed entry", func(b *builder) [][]byte {
			all := goodLog(b.t).bytes()
			return [][]byte{all[0], all[1], all[1]}
		}, ErrDuplicate, "seq 2 again (head is seq 2)"},
		{"two entries with one seq", func(b *builder) [][]byte {
			first := b.add(autoEntry(day0900))
			second := b.add(autoEntry(day0900 + 600))
			b.head = first.Head()
			other := b.add(autoEntry(day0900 + 1200))
			return [][]byte{first.Bytes, second.Bytes, other.Bytes}
		}, ErrFork, "but the log has"},
		{"prev is not the previous hash", func(b *builder) [][]byte {
			b.add(autoEntry(day0900))
			b.head.Hash = fakeHash("elsewhere")
			b.add(autoEntry(day0900 + 600))
			return b.bytes()
		}, ErrBrokenChain, "seq 2: prev is"},
		{"first entry has a prev", func(b *builder) [][]byte {
			b.head.Hash = fakeHash("before the beginning")
			b.add(autoEntry(day0900))
			return b.bytes()
		}, ErrBrokenChain, "seq 1"},
		{"signed by another key", func(b *builder) [][]byte {
			b.key = employerKey
			b.add(autoEntry(day0900))
			return b.bytes()
		}, ErrWrongKey, "signer"},
		{"another contract", func(b *builder) [][]byte {
			b.contract = seqBytes(0x99)
			b.add(autoEntry(day0900))
			return b.bytes()
		}, ErrWrongContract, "seq 1: contract"},
		{"log ID of another log", func(b *builder) [][]byte {
			w := goodWire()
			other := LogIDOf(seqBytes(0x99), pub(contractorKey))
			w.Log = other[:]
			return [][]byte{signPayload(b.t, w)}
		}, ErrWrongLog, "log ID"},
		{"bad signature", func(b *builder) [][]byte {
			s := b.add(autoEntry(day0900))
			s.Bytes[len(s.Bytes)-1] ^= 1
			return [][]byte{s.Bytes}
		}, ErrBadSignature, "after seq 0"},
		{"overlapping segment", func(b *builder) [][]byte {
			b.add(autoEntry(day0900))
			b.add(manualEntry(day0900, "again"))
			return b.bytes()
		}, ErrOverlap, "already recorded by seq 1"},
		{"void with a wrong hash", func(b *builder) [][]byte {
			a := b.add(autoEntry(day0900))
			v := Void(a.Summary(), "", day1800)
			v.Voids.Hash = fakeHash("not it")
			b.add(v)
			return b.bytes()
		}, ErrBadVoid, "but that entry's hash is"},
		{"void of a void", func(b *builder) [][]byte {
			v := b.add(Void(b.add(autoEntry(day0900)).Summary(), "", day1800))
			b.add(Void(v.Summary(), "", day1800))
			return b.bytes()
		}, ErrBadVoid, "itself a void"},
		{"void twice", func(b *builder) [][]byte {
			a := b.add(autoEntry(day0900))
			b.add(Void(a.Summary(), "", day1800))
			b.add(Void(a.Summary(), "", day1800))
			return b.bytes()
		}, ErrBadVoid, "already voided by seq 2"},
		{"long batch: the first bad signature of two is named", func(b *builder) [][]byte {
			for i := range int64(100) {
				b.add(autoEntry(day0900 + 600*i))
			}
			all := b.bytes()
			for _, i := range []int{70, 49} {
				all[i] = append([]byte(nil), all[i]...)
				all[i][len(all[i])-1] ^= 0x01
			}
			return all
		}, ErrBadSignature, "after seq 49"},
		{"void with another start", func(b *builder) [][]byte {
			v := Void(b.add(autoEntry(day0900)).Summary(), "", day1800)
			v.Start += 600
			b.add(v)
			return b.bytes()
		}, ErrBadVoid, "has start"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries := tt.build(newBuilder(t))
			got, err := VerifyChain(testContract, pub(contractorKey), Head{}, nil, entries...)
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("VerifyChain = %v, want %v mentioning %q", err, tt.want, tt.reason)
			}
			t.Log(err)
			if got != nil {
				t.Fatalf("VerifyChain returned %d entries with an error, want none", len(got))
			}
			// Decoded first and verified after, a batch fails the same way.
			if d, derr := DecodeBatch(entries...); derr == nil {
				got, derr := VerifyDecoded(testContract, pub(contractorKey), Head{}, nil, d)
				if derr == nil || derr.Error() != err.Error() || got != nil {
					t.Fatalf("VerifyDecoded = %d entries, %v; want none, %v", len(got), derr, err)
				}
			}
		})
	}
}

func TestVerifyDecodedAcceptsWhatVerifyChainDoes(t *testing.T) {
	b := goodLog(t)
	want, err := VerifyChain(testContract, pub(contractorKey), Head{}, nil, b.bytes()...)
	if err != nil {
		t.Fatal(err)
	}
	d, err := DecodeBatch(b.bytes()...)
	if err != nil {
		t.Fatal(err)
	}
	got, err := VerifyDecoded(testContract, pub(contractorKey), Head{}, nil, d)
	if err != nil {
		t.Fatalf("VerifyDecoded: %v", err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("VerifyDecoded gave other entries than VerifyChain")
	}
}

// A Verifier that continues from a stored head, with the store's History,
// applies the same rules as one that saw the whole log.
func TestVerifierContinuesFromHead(t *testing.T) {
	b := goodLog(t) // seqs 1..5; the slot at day0900 is live (seq 1)
	earlier := historyOf(b.all)
	tests := []struct {
		name string
		add  func(b *builder)
		want error
	}{
		{"new segment", func(b *builder) { b.add(autoEntry(day0900 + 7200)) }, nil},
		{"overlap with seq 1", func(b *builder) { b.add(manualEntry(day0900, "")) }, ErrOverlap},
		{"overlap with seq 5", func(b *builder) { b.add(manualEntry(day0900+3600, "")) }, ErrOverlap},
		{"void seq 1 then reuse its slot", func(b *builder) {
			b.add(Void(b.all[0].Summary(), "", day1800))
			b.add(manualEntry(day0900, "instead"))
		}, nil},
		{"void seq 3, already voided", func(b *builder) { b.add(Void(b.all[2].Summary(), "", day1800)) }, ErrBadVoid},
		{"void seq 2 twice", func(b *builder) {
			b.add(Void(b.all[1].Summary(), "", day1800))
			b.add(Void(b.all[1].Summary(), "", day1800))
		}, ErrBadVoid},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			more := *b
			more.t, more.all = t, append([]Signed(nil), b.all...)
			tt.add(&more)
			_, err := VerifyChain(testContract, pub(contractorKey), b.head, earlier, more.bytes()[len(b.all):]...)
			if !errors.Is(err, tt.want) {
				t.Fatalf("VerifyChain from seq %d = %v, want %v", b.head.Seq, err, tt.want)
			}
		})
	}
}

func TestNewVerifierNeedsHistoryToContinue(t *testing.T) {
	if _, err := NewVerifier(testContract, pub(contractorKey), Head{Seq: 3}, nil); err == nil {
		t.Fatal("NewVerifier after seq 3 without History: err = nil")
	}
	if _, err := NewVerifier(testContract, pub(contractorKey), Head{Hash: fakeHash("x")}, nil); err == nil {
		t.Fatal("NewVerifier at seq 0 with a hash: err = nil")
	}
}

// A refused entry leaves the Verifier where it was.
func TestVerifierNextIsAtomic(t *testing.T) {
	b := goodLog(t)
	v, _ := NewVerifier(testContract, pub(contractorKey), Head{}, nil)
	all := b.bytes()
	if _, err := v.Next(all[0]); err != nil {
		t.Fatal(err)
	}
	before := v.Head()
	for _, bad := range [][]byte{all[2], all[0], []byte("junk")} {
		if _, err := v.Next(bad); err == nil {
			t.Fatal("bad entry accepted")
		}
		if v.Head() != before {
			t.Fatalf("head moved to %v after a refused entry, want %v", v.Head(), before)
		}
	}
	for _, e := range all[1:] {
		if _, err := v.Next(e); err != nil {
			t.Fatalf("good entry after refusals: %v", err)
		}
	}
}

func TestLogAppend(t *testing.T) {
	l, err := NewLog(contractorKey, testContract, Head{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	first, err := l.Append(autoEntry(day0900))
	if err != nil {
		t.Fatal(err)
	}
	if first.Entry.Seq != 1 || first.Entry.Prev != ([32]byte{}) || l.ID() != LogIDOf(testContract, pub(contractorKey)) {
		t.Fatalf("first entry: seq %d prev %x log %x", first.Entry.Seq, first.Entry.Prev, l.ID().String())
	}
	if _, err := l.Append(manualEntry(day0900, "same slot")); !errors.Is(err, ErrOverlap) {
		t.Fatalf("Append over a recorded segment: err = %v, want ErrOverlap", err)
	}
	if l.Head() != first.Head() {
		t.Fatalf("head %v after a refused append, want %v", l.Head(), first.Head())
	}
	second, err := l.Append(Void(first.Summary(), "wrong contract", day1800))
	if err != nil || second.Entry.Seq != 2 || second.Entry.Prev != first.Hash {
		t.Fatalf("void: seq %d prev %x err %v, want seq 2 after %x", second.Entry.Seq, second.Entry.Prev, err, first.Hash)
	}
	// The writer continues from a stored head exactly like the verifier.
	l2, err := NewLog(contractorKey, testContract, l.Head(), historyOf([]Signed{first, second}))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := l2.Append(autoEntry(day0900)); err != nil {
		t.Fatalf("reuse of a voided slot after restart: %v", err)
	}
}

// A replay is ErrDuplicate alone, so a receiver can skip it; a second
// version of a stored seq is also ErrFork, which it must not skip.
func TestReplayIsNotFork(t *testing.T) {
	b := goodLog(t)
	v, _ := NewVerifier(testContract, pub(contractorKey), b.all[2].Head(), historyOf(b.all[:3]))
	_, err := v.Next(b.all[1].Bytes)
	if !errors.Is(err, ErrDuplicate) || errors.Is(err, ErrFork) {
		t.Fatalf("replay of a stored entry: err = %v, want ErrDuplicate without ErrFork", err)
	}
}
