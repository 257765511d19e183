package ledger

import (
	"encoding/hex"
	"errors"
	"reflect"
	"strings"
	"testing"

	"golang.org/x/mod/sumdb/note"
)

var (
	contractorNote = NoteKey{Name: "contractor.example", Public: pub(contractorKey)}
	employerNote   = NoteKey{Name: "employer.example", Public: pub(employerKey)}
)

func testCheckpoint(t *testing.T) (Checkpoint, [][]byte) {
	b := goodLog(t)
	return CheckpointFor(LogIDOf(testContract, pub(contractorKey)), b.bytes()), b.bytes()
}

func TestCheckpointTextRoundTrip(t *testing.T) {
	c, _ := testCheckpoint(t)
	got, err := ParseCheckpoint(c.Text())
	if err != nil || got != c {
		t.Fatalf("ParseCheckpoint(Text()) = %v, %v; want %v", got, err, c)
	}
	if want := "workdiary.log/" + hex.EncodeToString(c.LogID[:]) + "\n"; !strings.HasPrefix(c.Text(), want) || strings.Count(c.Text(), "\n") != 3 {
		t.Fatalf("text %q is not three lines starting with the origin", c.Text())
	}
}

func TestParseCheckpointRefuses(t *testing.T) {
	c, _ := testCheckpoint(t)
	good := c.Text()
	lines := strings.SplitAfter(good, "\n")
	tests := []struct{ name, text string }{
		{"extension line", good + "extra\n"},
		{"no final newline", strings.TrimSuffix(good, "\n")},
		{"other origin", "example.com/log\n" + lines[1] + lines[2]},
		{"uppercase log ID", strings.ToUpper(lines[0][:14]) + lines[0][14:] + lines[1] + lines[2]},
		{"short log ID", lines[0][:20] + "\n" + lines[1] + lines[2]},
		{"leading zero", lines[0] + "05\n" + lines[2]},
		{"negative size", lines[0] + "-5\n" + lines[2]},
		{"size with plus", lines[0] + "+5\n" + lines[2]},
		{"root not base64", lines[0] + lines[1] + "not base64!\n"},
		{"root URL base64", lines[0] + lines[1] + strings.Repeat("_", 43) + "=\n"},
		{"root 31 bytes", lines[0] + lines[1] + "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==\n"},
		{"root with non-zero padding bits", lines[0] + lines[1] + lines[2][:42] + "B=\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.text == good {
				t.Fatal("test case equals the good text")
			}
			if _, err := ParseCheckpoint(tt.text); !errors.Is(err, ErrMalformedCheckpoint) {
				t.Fatalf("ParseCheckpoint(%q) = %v, want ErrMalformedCheckpoint", tt.text, err)
			}
		})
	}
}

func TestSignCosignOpen(t *testing.T) {
	c, _ := testCheckpoint(t)
	signed, err := SignCheckpoint(contractorKey, contractorNote.Name, c)
	if err != nil {
		t.Fatal(err)
	}
	got, by, err := OpenCheckpoint(signed, contractorNote, employerNote)
	if err != nil || got != c || !reflect.DeepEqual(by, []NoteKey{contractorNote}) {
		t.Fatalf("open contractor-signed: %v, %v, %v", got, by, err)
	}
	if _, _, err := OpenCheckpoint(signed, employerNote); !errors.Is(err, ErrUnsigned) {
		t.Fatalf("open with only the employer's key: err = %v, want ErrUnsigned", err)
	}

	cosigned, err := Cosign(signed, employerKey, employerNote.Name)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(cosigned), string(signed)) {
		t.Fatalf("cosigned note does not keep the contractor's note as its start:\n%s", cosigned)
	}
	_, by, err = OpenCheckpoint(cosigned, employerNote, contractorNote)
	if err != nil || !reflect.DeepEqual(by, []NoteKey{contractorNote, employerNote}) {
		t.Fatalf("open cosigned: signers %v, err %v; want contractor then employer", by, err)
	}
	if _, _, err := OpenCheckpoint(cosigned, contractorNote); !errors.Is(err, ErrUnknownSigner) {
		t.Fatalf("open cosigned knowing only the contractor: err = %v, want ErrUnknownSigner", err)
	}
	again, err := Cosign(cosigned, employerKey, employerNote.Name)
	if err != nil || string(again) != string(cosigned) {
		t.Fatalf("cosigning twice changed the note:\n%s\nerr %v", again, err)
	}
	impostor := NoteKey{Name: contractorNote.Name, Public: pub(employerKey)}
	if _, _, err := OpenCheckpoint(signed, impostor); !errors.Is(err, ErrUnsigned) {
		t.Fatalf("open with another key under the contractor's name: err = %v, want ErrUnsigned", err)
	}
}

// The Go note package, given our verifier key string, agrees with our
// signatures: the key hash and signature format are the standard ones.
func TestNoteInteroperates(t *testing.T) {
	c, _ := testCheckpoint(t)
	signed, _ := SignCheckpoint(contractorKey, contractorNote.Name, c)
	vkey, err := contractorNote.VerifierKey()
	if err != nil {
		t.Fatal(err)
	}
	v, err := note.NewVerifier(vkey)
	if err != nil {
		t.Fatal(err)
	}
	if v.KeyHash() != contractorNote.KeyHash() {
		t.Fatalf("key hash %08x, note package says %08x", contractorNote.KeyHash(), v.KeyHash())
	}
	n, err := note.Open(signed, note.VerifierList(v))
	if err != nil || n.Text != c.Text() {
		t.Fatalf("note.Open: %v", err)
	}
}

func TestSignCheckpointRefusesBadNames(t *testing.T) {
	c, _ := testCheckpoint(t)
	for _, name := range []string{"", "two words", "a+b"} {
		if _, err := SignCheckpoint(contractorKey, name, c); err == nil {
			t.Errorf("SignCheckpoint with name %q: err = nil", name)
		}
	}
}

// Every single-byte change of a signed or cosigned checkpoint is refused.
// Bytes where the value matters to a parser (signature-line framing, names,
// the key hash and the last base64 characters, where padding bits hide) get
// all 255 other values; the text and the middle of each signature, which
// only the signature check reads, get the bit flips and the complement.
func TestCheckpointEveryByteChangeFails(t *testing.T) {
	t.Parallel()
	c, _ := testCheckpoint(t)
	signed, _ := SignCheckpoint(contractorKey, contractorNote.Name, c)
	cosigned, _ := Cosign(signed, employerKey, employerNote.Name)
	for _, msg := range [][]byte{signed, cosigned} {
		structural := noteStructure(msg)
		for i := range msg {
			for _, d := range byteChanges(structural[i]) {
				bad := append([]byte(nil), msg...)
				bad[i] ^= d
				if _, _, err := OpenCheckpoint(bad, contractorNote, employerNote); err == nil {
					t.Fatalf("byte %d ^ %#x still opens:\n%s", i, d, bad)
				}
			}
		}
	}
}

func noteStructure(msg []byte) []bool {
	out := make([]bool, len(msg))
	sigs := strings.LastIndex(string(msg), "\n\n") + 1
	out[sigs-1], out[sigs] = true, true
	for i := sigs + 1; i < len(msg); {
		end := i + strings.IndexByte(string(msg[i:]), '\n')
		b64 := i + strings.LastIndexByte(string(msg[i:end]), ' ') + 1
		for j := i; j <= end; j++ {
			out[j] = j < b64+8 || j >= end-4
		}
		i = end + 1
	}
	return out
}

func TestCheckCheckpoint(t *testing.T) {
	c, entries := testCheckpoint(t)
	logID := c.LogID
	if err := CheckCheckpoint(c, logID, entries); err != nil {
		t.Fatalf("CheckCheckpoint(own entries) = %v", err)
	}
	changed := append([][]byte(nil), entries...)
	changed[2] = entries[3]
	tests := []struct {
		name    string
		logID   [32]byte
		entries [][]byte
		reason  string
	}{
		{"other log", LogIDOf(testContract, pub(employerKey)), entries, "is for log"},
		{"fewer entries", logID, entries[:4], "has 5 entries, the log has 4"},
		{"more entries", logID, append(entries, entries[0]), "the log has 6"},
		{"other entries", logID, changed, "root"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := CheckCheckpoint(c, tt.logID, tt.entries)
			if !errors.Is(err, ErrCheckpointMismatch) || !strings.Contains(err.Error(), tt.reason) {
				t.Fatalf("CheckCheckpoint = %v, want ErrCheckpointMismatch mentioning %q", err, tt.reason)
			}
		})
	}
}

func TestVerifyConsistency(t *testing.T) {
	_, entries := testCheckpoint(t)
	logID := LogIDOf(testContract, pub(contractorKey))
	leaves := leafHashes(entries)
	older, newer := CheckpointFor(logID, entries[:2]), CheckpointFor(logID, entries)
	proof, err := ConsistencyProof(leaves, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := VerifyConsistency(older, newer, proof); err != nil {
		t.Fatalf("VerifyConsistency: %v", err)
	}
	forked := older
	forked.Root = MerkleRoot(leafHashes([][]byte{entries[0], entries[2]}))
	otherLog := older
	otherLog.LogID[0] ^= 1
	for name, pair := range map[string][2]Checkpoint{
		"forked past": {forked, newer}, "shrinking": {newer, older}, "two logs": {otherLog, newer},
	} {
		if err := VerifyConsistency(pair[0], pair[1], proof); !errors.Is(err, ErrNotConsistent) {
			t.Errorf("%s: err = %v, want ErrNotConsistent", name, err)
		}
	}
}
