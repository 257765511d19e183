package ledger

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/cose"
)

// goldenEntries returns the checked-in entries and their payloads, to seed
// the fuzzers with inputs that get past the first checks.
func goldenEntries(f *testing.F) (entries, payloads [][]byte) {
	for i := 1; i <= 4; i++ { // entry 4 carries limits (key 14)
		raw := readGolden(f, fmt.Sprintf("entry-%d.hex", i))
		b, err := hex.DecodeString(strings.Join(strings.Fields(string(raw)), ""))
		if err != nil {
			f.Fatal(err)
		}
		m, err := cose.Open(b)
		if err != nil {
			f.Fatal(err)
		}
		entries, payloads = append(entries, b), append(payloads, m.Payload)
	}
	return entries, payloads
}

// FuzzDecodeEntry feeds bytes both to OpenEntry (as a signed entry) and to
// the payload decoder (as a payload, which reaches far deeper than a
// fuzzer can forge signatures). Nothing may panic; whatever is accepted
// must verify again and have exactly one byte form.
func FuzzDecodeEntry(f *testing.F) {
	entries, payloads := goldenEntries(f)
	for i := range entries {
		f.Add(entries[i])
		f.Add(payloads[i])
	}
	l, err := NewLog(contractorKey, testContract, Head{}, nil)
	if err != nil {
		f.Fatal(err)
	}
	if rec, err := l.Append(BindRecord([]byte("a signed contract record"), day1800)); err == nil {
		m, _ := cose.Open(rec.Bytes)
		f.Add(rec.Bytes)
		f.Add(m.Payload)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if s, err := OpenEntry(data); err == nil {
			again, err := VerifyEntry(data, s.Signer)
			if err != nil || !reflect.DeepEqual(again.Entry, s.Entry) {
				t.Fatalf("OpenEntry accepted, VerifyEntry: %v", err)
			}
			m, _ := cose.Open(data)
			if p, err := encodePayload(s.Entry); err != nil || string(p) != string(m.Payload) {
				t.Fatalf("accepted payload has a second byte form")
			}
			if s.Hash != sha256.Sum256(data) {
				t.Fatalf("hash is not SHA-256 of the bytes")
			}
		}
		sameDecodedFirst(t, data)
		sameAsLibrary(t, data)
		if e, err := decodePayload(data); err == nil {
			if err := Validate(e); err != nil {
				t.Fatalf("decoded payload does not validate: %v", err)
			}
			if p, err := encodePayload(e); err != nil || string(p) != string(data) {
				t.Fatalf("accepted payload re-encodes differently")
			}
		}
	})
}

// FuzzOpenCheckpoint feeds bytes to OpenCheckpoint (with both parties'
// keys) and to the body parser. Whatever is accepted opens again to the
// same checkpoint, can be cosigned, and has exactly one text.
func FuzzOpenCheckpoint(f *testing.F) {
	v := makeVectors(f)
	for _, name := range []string{"checkpoint.note", "checkpoint-cosigned.note"} {
		f.Add(readGolden(f, name))
	}
	f.Add([]byte(Checkpoint{Size: 7}.Text()))
	f.Fuzz(func(t *testing.T, data []byte) {
		if c, err := ParseCheckpoint(string(data)); err == nil && c.Text() != string(data) {
			t.Fatalf("ParseCheckpoint accepted %q, which is not the text of %v", data, c)
		}
		c, by, err := OpenCheckpoint(data, v.contractor, v.employ)
		if err != nil {
			return
		}
		if len(by) == 0 || !strings.HasPrefix(string(data), c.Text()+"\n") {
			t.Fatalf("opened %v with signers %v from a note that does not start with its text", c, by)
		}
		cosigned, err := Cosign(data, employerKey, v.employ.Name)
		if err != nil {
			t.Fatalf("cannot cosign an accepted note: %v", err)
		}
		c2, by2, err := OpenCheckpoint(cosigned, v.contractor, v.employ)
		if err != nil || c2 != c || by2[len(by2)-1].Name != v.employ.Name {
			t.Fatalf("cosigned note: %v %v %v", c2, by2, err)
		}
	})
}

// sameAsLibrary checks that what readWire accepts re-encodes to the same
// bytes: one byte form per payload.
func sameAsLibrary(t *testing.T, data []byte) {
	t.Helper()
	w, err := readWire(data)
	if err != nil {
		return
	}
	again, err := cose.Marshal(w)
	if err != nil || !bytes.Equal(again, data) {
		t.Fatalf("payload %x: read %+v, which encodes to %x (%v)", data, *w, again, err)
	}
}

// sameDecodedFirst checks that an entry decoded before its signature is
// checked (DecodeBatch, VerifyDecoded) fares as VerifyChain has it, error
// for error, and that a store reads its kind and start as decoded.
func sameDecodedFirst(t *testing.T, data []byte) {
	want, werr := VerifyChain(testContract, pub(contractorKey), Head{}, nil, data)
	d, err := DecodeBatch(data)
	if err != nil {
		if werr == nil {
			t.Fatalf("DecodeBatch refused an entry VerifyChain accepts: %v", err)
		}
		return
	}
	got, gerr := VerifyDecoded(testContract, pub(contractorKey), Head{}, nil, d)
	if fmt.Sprint(gerr) != fmt.Sprint(werr) || !reflect.DeepEqual(got, want) {
		t.Fatalf("VerifyDecoded: %v, VerifyChain: %v", gerr, werr)
	}
	e := d.Entries()[0].Entry
	if f, err := readKindStart(data); err != nil || f.Kind != e.Kind || f.Start != e.Start {
		t.Fatalf("readKindStart = %+v, %v; decoded kind %d start %d", f, err, e.Kind, e.Start)
	}
}
