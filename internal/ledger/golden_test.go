package ledger

import (
	"bytes"
	"crypto/ed25519"
	"encoding/hex"
	"flag"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/fxamacker/cbor/v2"
	"github.com/mr-tron/base58"

	"github.com/workdiary/workdiary/internal/cose"
)

var update = flag.Bool("update", false, "rewrite testdata/ledger and the vectors in docs/format.md")

var (
	goldenDir = filepath.Join("..", "..", "testdata", "ledger")
	formatDoc = filepath.Join("..", "..", "docs", "format.md")
)

// vectors is the fixed log of docs/format.md: a tracked segment, manual
// time, a void of the manual time, and the checkpoint over the three; then
// a fourth entry, after the checkpoint, tracked in a session that limited
// what could be recorded (key 14).
type vectors struct {
	entries            []Signed
	limited            Signed
	contractor, employ NoteKey
	signed, cosigned   []byte
}

func makeVectors(t testing.TB) vectors {
	t.Helper()
	l, err := NewLog(contractorKey, testContract, Head{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	auto := autoEntry(day0900)
	auto.Images[0].Redacted = true
	manual := manualEntry(day0900+3600, "Call with the client about the Q1 plan")
	manual.ApprovedAt = auto.ApprovedAt // approved together, at 17:00
	var v vectors
	for _, e := range []Entry{auto, manual} {
		s, err := l.Append(e)
		if err != nil {
			t.Fatal(err)
		}
		v.entries = append(v.entries, s)
	}
	void, err := l.Append(Void(v.entries[1].Summary(), "Logged twice", day1800))
	if err != nil {
		t.Fatal(err)
	}
	v.entries = append(v.entries, void)
	v.contractor = NoteKey{Name: peerName(t, contractorKey), Public: pub(contractorKey)}
	v.employ = NoteKey{Name: peerName(t, employerKey), Public: pub(employerKey)}
	c := CheckpointFor(l.ID(), v.bytes())
	if v.signed, err = SignCheckpoint(contractorKey, v.contractor.Name, c); err != nil {
		t.Fatal(err)
	}
	if v.cosigned, err = Cosign(v.signed, employerKey, v.employ.Name); err != nil {
		t.Fatal(err)
	}
	if v.limited, err = l.Append(limitedEntry(day0900 + 2*3600)); err != nil {
		t.Fatal(err)
	}
	return v
}

// limitedEntry is a segment tracked in a Wayland session without the
// screenshot portal: no images, activity from idle notifications, the app
// in front unknown.
func limitedEntry(start int64) Entry {
	e := Entry{Start: start, Kind: KindAuto, Memo: "Review of the timesheet rules", ApprovedAt: start + 6*3600,
		Limits: LimitNoScreenshots | LimitIdleNotified | LimitNoApps}
	for i := range uint8(10) {
		e.Minutes = append(e.Minutes, Minute{Index: i, Moved: i != 3})
	}
	e.Apps = []App{{Process: "unknown", Seconds: 600}}
	return e
}

func (v vectors) bytes() [][]byte {
	var out [][]byte
	for _, s := range v.entries {
		out = append(out, s.Bytes)
	}
	return out
}

// peerName is the libp2p peer ID of an Ed25519 key, the note key name
// Workdiary uses for a party: base58btc of the identity multihash (0x00,
// length 0x24) of the protobuf PublicKey {Type: Ed25519, Data: key}. It is
// spelled out rather than imported so the fuzzers' binary stays small.
func peerName(t testing.TB, key ed25519.PrivateKey) string {
	t.Helper()
	id := append([]byte{0x00, 0x24, 0x08, 0x01, 0x12, 0x20}, key.Public().(ed25519.PublicKey)...)
	return base58.Encode(id)
}

// TestGoldenVectors fails loudly when the encoding of entries or
// checkpoints changes: signed bytes are forever, and another implementation
// follows docs/format.md, not this code.
func TestGoldenVectors(t *testing.T) {
	v := makeVectors(t)
	files := map[string][]byte{
		"checkpoint.note":          v.signed,
		"checkpoint-cosigned.note": v.cosigned,
		"vectors.txt":              []byte(v.describe(t)),
	}
	for i, s := range append(v.entries, v.limited) {
		files[fmt.Sprintf("entry-%d.hex", i+1)] = []byte(wrapHex(s.Bytes))
	}
	for _, name := range slices.Sorted(maps.Keys(files)) {
		golden(t, name, files[name])
	}
	checkDocVectors(t, files["vectors.txt"])
}

// TestGoldenFilesVerify reads the checked-in files (not freshly made ones)
// and runs every check on them, so the vectors are known to be valid.
func TestGoldenFilesVerify(t *testing.T) {
	var entries [][]byte
	for i := 1; i <= 4; i++ {
		raw := readGolden(t, fmt.Sprintf("entry-%d.hex", i))
		b, err := hex.DecodeString(strings.Join(strings.Fields(string(raw)), ""))
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, b)
	}
	if _, err := VerifyChain(testContract, pub(contractorKey), Head{}, nil, entries...); err != nil {
		t.Fatalf("golden entries: %v", err)
	}
	v := makeVectors(t)
	c, by, err := OpenCheckpoint(readGolden(t, "checkpoint-cosigned.note"), v.contractor, v.employ)
	if err != nil || len(by) != 2 {
		t.Fatalf("golden cosigned checkpoint: signers %v, err %v", by, err)
	}
	if err := CheckCheckpoint(c, LogIDOf(testContract, pub(contractorKey)), entries[:3]); err != nil {
		t.Fatalf("golden checkpoint against golden entries: %v", err)
	}
}

func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if want := readGolden(t, name); !bytes.Equal(got, want) {
		t.Errorf("%s: the encoding changed.\n got:\n%s\nwant:\n%s\n"+
			"Signed bytes must not change silently: if this is intended, bump the format version, "+
			"update docs/format.md and run go test ./internal/ledger -update.", path, got, want)
	}
}

func readGolden(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(goldenDir, name))
	if err != nil {
		t.Fatalf("%v (go test ./internal/ledger -update writes it)", err)
	}
	return b
}

// The vectors block of docs/format.md is vectors.txt, so the spec never
// shows bytes the code does not produce.
const (
	docBegin = "<!-- BEGIN vectors.txt: generated by go test ./internal/ledger -update -->\n```text\n"
	docEnd   = "```\n<!-- END vectors.txt -->"
)

func checkDocVectors(t *testing.T, vectorsTxt []byte) {
	doc, err := os.ReadFile(formatDoc)
	if err != nil {
		t.Fatal(err)
	}
	before, rest, ok1 := strings.Cut(string(doc), docBegin)
	_, after, ok2 := strings.Cut(rest, docEnd)
	if !ok1 || !ok2 {
		t.Fatalf("%s has no vectors block (%q … %q)", formatDoc, docBegin, docEnd)
	}
	want := before + docBegin + string(vectorsTxt) + docEnd + after
	if *update {
		if err := os.WriteFile(formatDoc, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	if string(doc) != want {
		t.Errorf("%s: the test vectors block differs from testdata/ledger/vectors.txt; run go test ./internal/ledger -update", formatDoc)
	}
}

func wrapHex(b []byte) string {
	h := hex.EncodeToString(b)
	var sb strings.Builder
	for len(h) > 64 {
		sb.WriteString(h[:64] + "\n")
		h = h[64:]
	}
	sb.WriteString(h + "\n")
	return sb.String()
}

// diagnose writes a payload in CBOR diagnostic notation, one key a line.
func diagnose(t *testing.T, payload []byte) string {
	var m map[uint64]cbor.RawMessage
	if err := cose.Unmarshal(payload, &m); err != nil {
		t.Fatal(err)
	}
	var sb strings.Builder
	sb.WriteString("{\n")
	for _, k := range slices.Sorted(maps.Keys(m)) {
		d, err := cbor.Diagnose(m[k])
		if err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&sb, "  %d: %s,\n", k, d)
	}
	sb.WriteString("}\n")
	return sb.String()
}
