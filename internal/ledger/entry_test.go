package ledger

import (
	"crypto/sha256"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/cose"
)

func TestSignOpenRoundTrip(t *testing.T) {
	b := newBuilder(t)
	first := b.add(autoEntry(day0900))
	for _, s := range []Signed{first, b.add(manualEntry(day0900+600, "pairing call")), b.add(Void(first.Summary(), "wrong contract", day1800))} {
		got, err := VerifyEntry(s.Bytes, pub(contractorKey))
		if err != nil {
			t.Fatalf("seq %d: VerifyEntry: %v", s.Entry.Seq, err)
		}
		if !reflect.DeepEqual(got.Entry, s.Entry) {
			t.Errorf("seq %d: decoded entry\n got %+v\nwant %+v", s.Entry.Seq, got.Entry, s.Entry)
		}
		if got.Hash != sha256.Sum256(s.Bytes) || got.Hash != s.Hash {
			t.Errorf("seq %d: hash %x, want SHA-256 of the signed bytes", s.Entry.Seq, got.Hash)
		}
	}
}

// ReadOwnEntry gives the same entry as VerifyEntry, for bytes read back
// from our own store, without the signature check.
func TestReadOwnEntry(t *testing.T) {
	b := newBuilder(t)
	s := b.add(manualEntry(day0900, "reading back"))
	got, err := ReadOwnEntry(s.Bytes)
	if err != nil || !reflect.DeepEqual(got, s.Entry) {
		t.Fatalf("ReadOwnEntry = %+v, %v; want %+v", got, err, s.Entry)
	}
	if _, err := ReadOwnEntry(s.Bytes[:len(s.Bytes)-80]); err == nil {
		t.Error("ReadOwnEntry read a truncated entry")
	}
}

func TestValidate(t *testing.T) {
	good := autoEntry(day0900)
	good.Seq = 2
	if err := Validate(good); err != nil {
		t.Fatalf("Validate(good) = %v", err)
	}
	tests := []struct {
		name   string
		change func(e *Entry)
		want   string
	}{
		{"seq 0", func(e *Entry) { e.Seq = 0 }, "seq is 0"},
		{"start not aligned", func(e *Entry) { e.Start += 60 }, "multiple of 600"},
		{"start negative", func(e *Entry) { e.Start = -600 }, "non-negative"},
		{"approved before start", func(e *Entry) { e.ApprovedAt = e.Start - 1 }, "before the segment start"},
		{"memo too long", func(e *Entry) { e.Memo = strings.Repeat("x", MaxMemoBytes+1) }, "memo"},
		{"memo not UTF-8", func(e *Entry) { e.Memo = "\xff" }, "memo"},
		{"kind unknown", func(e *Entry) { e.Kind = 4 }, "kind 4"},
		{"auto without minutes", func(e *Entry) { e.Minutes = nil }, "at least one tracked minute"},
		{"manual with images", func(e *Entry) { e.Kind = KindManual; e.Minutes = nil; e.Apps = nil }, "no minutes, apps or images"},
		{"void without ref", func(e *Entry) { *e = Entry{Seq: 2, Kind: KindVoid, Start: e.Start, ApprovedAt: e.ApprovedAt} }, "must say which entry"},
		{"ref on auto", func(e *Entry) { e.Voids = &VoidRef{Seq: 1} }, "only a void entry"},
		{"void of later seq", func(e *Entry) { *e = Void(Summary{Seq: 2, Start: e.Start}, "", e.ApprovedAt); e.Seq = 2 }, "want an earlier entry"},
		{"minute index 10", func(e *Entry) { e.Minutes[9].Index = 10 }, "index 10"},
		{"minutes not increasing", func(e *Entry) { e.Minutes[3].Index = 2 }, "increasing"},
		{"too many apps", func(e *Entry) { e.Apps = make([]App, MaxApps+1) }, "apps, at most"},
		{"empty process", func(e *Entry) { e.Apps[0].Process = "" }, "process name"},
		{"long title", func(e *Entry) { e.Apps[1].Title = strings.Repeat("t", MaxTitleBytes+1) }, "title"},
		{"app seconds 0", func(e *Entry) { e.Apps[2].Seconds = 0 }, "0 seconds"},
		{"apps over a segment", func(e *Entry) { e.Apps[2].Seconds = 31 }, "add up to 601"},
		{"image role", func(e *Entry) { e.Images[0].Role = 2 }, "role 2"},
		{"image size 0", func(e *Entry) { e.Images[0].Size = 0 }, "size 0"},
		{"image too big", func(e *Entry) { e.Images[0].Size = MaxImageSize + 1 }, "size"},
		{"image before segment", func(e *Entry) { e.Images[1].TakenAt = e.Start - 1 }, "outside the segment"},
		{"image after segment", func(e *Entry) { e.Images[1].TakenAt = e.Start + 600 }, "outside the segment"},
		{"image after approval", func(e *Entry) { e.ApprovedAt = e.Start + 200 }, "after approval"},
		{"image width 0", func(e *Entry) { e.Images[2].Width = 0 }, "pixels"},
		{"too many images", func(e *Entry) { e.Images = make([]Image, MaxImages+1) }, "images, at most"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e := autoEntry(day0900)
			e.Seq = 2
			tt.change(&e)
			err := Validate(e)
			if !errors.Is(err, ErrInvalidEntry) || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Validate = %v, want ErrInvalidEntry mentioning %q", err, tt.want)
			}
			if _, err := Sign(contractorKey, e); !errors.Is(err, ErrInvalidEntry) {
				t.Fatalf("Sign = %v, want ErrInvalidEntry", err)
			}
		})
	}
}

func TestSignRefusesForeignLogID(t *testing.T) {
	e := autoEntry(day0900)
	e.Seq, e.ContractID, e.LogID = 1, testContract, LogIDOf(testContract, pub(employerKey))
	if _, err := Sign(contractorKey, e); !errors.Is(err, ErrWrongLog) {
		t.Fatalf("Sign with another key's log ID: err = %v, want ErrWrongLog", err)
	}
}

// signPayload signs a hand-made payload, bypassing every check of Sign.
func signPayload(t *testing.T, w wireEntry) []byte {
	t.Helper()
	payload, err := cose.Marshal(w)
	if err != nil {
		t.Fatal(err)
	}
	msg, err := cose.Sign(contractorKey, payload)
	if err != nil {
		t.Fatal(err)
	}
	return msg
}

func goodWire() wireEntry {
	id := LogIDOf(testContract, pub(contractorKey))
	return wireEntry{Version: 1, Contract: testContract[:], Log: id[:], Seq: 1, Prev: make([]byte, 32),
		Start: day0900, Kind: uint64(KindManual), ApprovedAt: day1800}
}

// The decoder refuses what Sign would never write, and says why.
func TestOpenEntryRefusesBadPayloads(t *testing.T) {
	tests := []struct {
		name   string
		change func(w *wireEntry)
		want   error
		reason string
	}{
		{"version 2", func(w *wireEntry) { w.Version = 2 }, ErrInvalidEntry, "version 2"},
		{"short contract", func(w *wireEntry) { w.Contract = w.Contract[:31] }, ErrInvalidEntry, "contract ID is 31 bytes"},
		{"long prev", func(w *wireEntry) { w.Prev = make([]byte, 33) }, ErrInvalidEntry, "prev is 33 bytes"},
		{"kind 9", func(w *wireEntry) { w.Kind = 9 }, ErrInvalidEntry, "kind 9"},
		{"minute index 200", func(w *wireEntry) { w.Kind = 0; w.Minutes = []wireMinute{{Index: 200}} }, ErrInvalidEntry, "index 200"},
		{"image flags", func(w *wireEntry) {
			w.Kind = 0
			w.Minutes = []wireMinute{{Index: 0}}
			w.Images = []wireImage{{SHA256: make([]byte, 32), Size: 1, TakenAt: day0900, Width: 1, Height: 1, Flags: 4}}
		}, ErrInvalidEntry, "flags 0x4"},
		{"short void hash", func(w *wireEntry) { w.Seq = 2; w.Kind = 2; w.Voids = &wireVoid{Seq: 1, Hash: []byte{1}} }, ErrInvalidEntry, "void hash is 1 bytes"},
		{"foreign log ID", func(w *wireEntry) { w.Log = make([]byte, 32) }, ErrWrongLog, "log ID"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := goodWire()
			tt.change(&w)
			_, err := OpenEntry(signPayload(t, w))
			if !errors.Is(err, tt.want) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("OpenEntry = %v, want %v mentioning %q", err, tt.want, tt.reason)
			}
		})
	}
}

// A payload with a missing key or an explicitly empty field has a second
// byte form; the strict decoder refuses it and explain says what is wrong.
func TestOpenEntryExplainsNonCanonicalPayloads(t *testing.T) {
	tests := []struct {
		name    string
		payload map[int]any
		reason  string
	}{
		{"missing seq", map[int]any{1: 1, 2: testContract[:], 3: make([]byte, 32), 5: make([]byte, 32), 6: day0900, 7: 1, 12: day1800}, "required key 4 (seq) is missing"},
		{"empty memo", map[int]any{1: 1, 2: testContract[:], 3: make([]byte, 32), 4: 1, 5: make([]byte, 32), 6: day0900, 7: 1, 10: "", 12: day1800}, "key 10 (memo) is empty"},
		{"empty apps", map[int]any{1: 1, 2: testContract[:], 3: make([]byte, 32), 4: 1, 5: make([]byte, 32), 6: day0900, 7: 1, 9: []any{}, 12: day1800}, "key 9 (apps) is empty"},
		{"unknown key", map[int]any{1: 1, 2: testContract[:], 3: make([]byte, 32), 4: 1, 5: make([]byte, 32), 6: day0900, 7: 1, 12: day1800, 19: 0}, "unknown"},
		{"zero corrects", map[int]any{1: 1, 2: testContract[:], 3: make([]byte, 32), 4: 1, 5: make([]byte, 32), 6: day0900, 7: 1, 12: day1800, 15: 0}, "key 15 (corrects) is 0"},
		{"zero limits", map[int]any{1: 1, 2: testContract[:], 3: make([]byte, 32), 4: 1, 5: make([]byte, 32), 6: day0900, 7: 0, 8: []any{[]any{0, 0, 0, 0, true}}, 12: day1800, 14: 0}, "key 14 (limits) is 0"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			payload, err := cose.Marshal(tt.payload)
			if err != nil {
				t.Fatal(err)
			}
			msg, _ := cose.Sign(contractorKey, payload)
			_, err = OpenEntry(msg)
			if !errors.Is(err, ErrMalformed) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("OpenEntry = %v, want ErrMalformed mentioning %q", err, tt.reason)
			}
		})
	}
}

func TestOpenEntryRefusesOversize(t *testing.T) {
	if _, err := OpenEntry(make([]byte, MaxEntrySize+1)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("err = %v, want ErrMalformed", err)
	}
}

// Every single-byte change of a signed entry fails verification with a
// reason, and never panics. Structural bytes of the envelope (everything but
// the key's, the payload's and the signature's contents) get all 255 values: that
// is how a null unprotected header (0xa0 → 0xf6) was found. Content bytes
// are all covered by the signature and take the same path whatever the
// value, so they get the eight single-bit flips and the complement.
func TestEntryEveryByteChangeFails(t *testing.T) {
	t.Parallel()
	b := newBuilder(t)
	first := b.add(autoEntry(day0900))
	void := b.add(Void(first.Summary(), "duplicate", day1800))
	for _, s := range []Signed{first, void} {
		structural := envelopeStructure(t, s.Bytes)
		for i := range s.Bytes {
			for _, d := range byteChanges(structural[i]) {
				bad := append([]byte(nil), s.Bytes...)
				bad[i] ^= d
				_, err := VerifyEntry(bad, pub(contractorKey))
				if err == nil {
					t.Fatalf("seq %d: byte %d ^ %#x still verifies", s.Entry.Seq, i, d)
				}
				if !isEntryError(err) {
					t.Fatalf("seq %d: byte %d ^ %#x: error %v has no known sentinel", s.Entry.Seq, i, d, err)
				}
			}
		}
	}
}

func byteChanges(all bool) []byte {
	if all {
		out := make([]byte, 255)
		for i := range out {
			out[i] = byte(i + 1)
		}
		return out
	}
	return []byte{0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff}
}

// envelopeStructure marks the bytes of a signed entry that are CBOR
// structure rather than content (the key, the payload, the signature).
func envelopeStructure(t *testing.T, msg []byte) []bool {
	m, err := cose.Open(msg)
	if err != nil {
		t.Fatal(err)
	}
	hdr := 3 // a payload of 256..65535 bytes has a 3-byte bstr header
	if len(m.Payload) < 256 {
		hdr = 2
	}
	out := make([]bool, len(msg))
	sigHdr := unprotectedAt + 1 + hdr + len(m.Payload)
	for i := range out {
		key := i >= len(envelopePrefix) && i < unprotectedAt // the signer's key: content
		out[i] = !key && i < unprotectedAt+1+hdr || i == sigHdr || i == sigHdr+1
	}
	if msg[sigHdr] != 0x58 || msg[sigHdr+1] != 0x40 {
		t.Fatalf("signature header at %d is %x, want 5840", sigHdr, msg[sigHdr:sigHdr+2])
	}
	return out
}

// Every single-byte change of a payload, whatever it does, must never give
// an accepted payload with a second byte form: the decoder either refuses
// it or the entry it yields encodes back to exactly those bytes. Small
// entries that still have every field keep the 255 × n decodes quick, and
// the contents of 32-byte hashes, which no check reads, get bit flips only.
func TestPayloadEveryByteChangeIsRefusedOrCanonical(t *testing.T) {
	t.Parallel()
	b := newBuilder(t)
	small := autoEntry(day0900)
	small.Minutes, small.Apps, small.Images, small.Memo = small.Minutes[:2], small.Apps[:1], small.Images[:1], "m"
	first := b.add(small)
	for _, s := range []Signed{first, b.add(Void(first.Summary(), "v", day1800))} {
		m, _ := cose.Open(s.Bytes)
		content := hashContents(m.Payload)
		for i := range m.Payload {
			for _, d := range byteChanges(!content[i]) {
				bad := append([]byte(nil), m.Payload...)
				bad[i] ^= d
				sameAsLibrary(t, bad)
				e, err := decodePayload(bad)
				if err != nil {
					continue
				}
				again, err := encodePayload(e)
				if err != nil || string(again) != string(bad) {
					t.Fatalf("seq %d: payload byte %d ^ %#x decodes but re-encodes differently", s.Entry.Seq, i, d)
				}
			}
		}
	}
}

// hashContents marks the contents of the 32-byte byte strings (0x58 0x20).
func hashContents(payload []byte) []bool {
	out := make([]bool, len(payload))
	for i := 0; i+34 <= len(payload); i++ {
		if payload[i] == 0x58 && payload[i+1] == 0x20 {
			for j := i + 2; j < i+34; j++ {
				out[j] = true
			}
			i += 33
		}
	}
	return out
}

func isEntryError(err error) bool {
	for _, want := range []error{ErrMalformed, ErrBadSignature, ErrWrongKey, ErrInvalidEntry, ErrWrongLog} {
		if errors.Is(err, want) {
			return true
		}
	}
	return false
}
