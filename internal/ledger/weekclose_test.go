package ledger

import (
	"bytes"
	"errors"
	"os"
	"strings"
	"testing"
	"time"
)

// weekOf2026W02 is the week of the test vectors: Monday 2026-01-05 00:00 UTC.
var (
	weekFrom = time.Date(2026, 1, 5, 0, 0, 0, 0, time.UTC).Unix()
	weekTo   = weekFrom + 7*24*3600
)

func closeOfVectors(t testing.TB) (vectors, []byte, []byte) {
	t.Helper()
	v := makeVectors(t)
	log := append(append([]Signed{}, v.entries...), v.limited)
	w := NewWeekClose(LogIDOf(testContract, pub(contractorKey)), log, weekFrom, weekTo, []byte("acceptance"))
	sent, err := SignWeekClose(contractorKey, v.contractor.Name, w)
	if err != nil {
		t.Fatal(err)
	}
	cosigned, err := Cosign(sent, employerKey, v.employ.Name)
	if err != nil {
		t.Fatal(err)
	}
	return v, sent, cosigned
}

// TestGoldenWeekClose pins the bytes of a cosigned week close, the test
// vector of docs/format.md §5.3.
func TestGoldenWeekClose(t *testing.T) {
	_, _, cosigned := closeOfVectors(t)
	golden(t, "week-close-cosigned.note", cosigned)
	doc, err := os.ReadFile(formatDoc)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(doc, cosigned) {
		t.Errorf("docs/format.md §5.3 does not show the cosigned week close:\n%s", cosigned)
	}
}

func TestWeekCloseRoundTrip(t *testing.T) {
	v, sent, cosigned := closeOfVectors(t)
	w, err := OpenCosignedClose(sent, cosigned, v.contractor, v.employ)
	if err != nil {
		t.Fatal(err)
	}
	if w.Size != 4 || w.Count != 4 || w.Week != weekFrom {
		t.Errorf("got %+v, want size 4, 4 entries of week %d", w, weekFrom)
	}
	if w.Digest != WeekDigest(append(v.bytes(), v.limited.Bytes)) {
		t.Errorf("digest is not over the week's entries")
	}
	// A close is not a checkpoint, and a checkpoint is not a close.
	if _, _, err := OpenCheckpoint(cosigned, v.contractor, v.employ); err == nil {
		t.Errorf("a week close opened as a checkpoint")
	}
	if _, _, err := OpenWeekClose(v.cosigned, v.contractor, v.employ); !errors.Is(err, ErrNotWeekClose) {
		t.Errorf("a checkpoint opened as a week close: %v", err)
	}
}

// TestCosignedCloseRefusals: the contractor keeps only a cosignature of
// exactly the close it sent.
func TestCosignedCloseRefusals(t *testing.T) {
	v, sent, cosigned := closeOfVectors(t)
	other := NewWeekClose(LogIDOf(testContract, pub(contractorKey)), v.entries[:2], weekFrom, weekTo, []byte("acceptance"))
	staleSent, _ := SignWeekClose(contractorKey, v.contractor.Name, other)
	stale, _ := Cosign(staleSent, employerKey, v.employ.Name)
	selfSigned, _ := Cosign(sent, contractorKey, v.contractor.Name)
	for name, got := range map[string][]byte{
		"stale close":        stale,
		"not cosigned":       sent,
		"a plain checkpoint": v.cosigned,
		"signed twice":       selfSigned,
	} {
		if _, err := OpenCosignedClose(sent, got, v.contractor, v.employ); !errors.Is(err, ErrNotReceipt) {
			t.Errorf("%s: got %v, want ErrNotReceipt", name, err)
		}
	}
	if _, err := OpenCosignedClose(sent, cosigned, v.contractor, v.employ); err != nil {
		t.Errorf("the honest cosignature: %v", err)
	}
}

func TestParseWeekCloseRefusesOtherForms(t *testing.T) {
	_, _, cosigned := closeOfVectors(t)
	text := string(cosigned[:bytes.Index(cosigned, []byte("\n\n"))+1])
	if _, err := ParseWeekClose(text); err != nil {
		t.Fatal(err)
	}
	for name, bad := range map[string]string{
		"leading zero":   strings.Replace(text, "week ", "week 0", 1),
		"upper hex":      strings.Replace(text, "acceptance ", "acceptance A", 1)[:len(text)],
		"extra line":     text + "more\n",
		"count too high": strings.Replace(text, "entries 4 ", "entries 9 ", 1),
		"negative week":  strings.Replace(text, "week ", "week -", 1),
	} {
		if _, err := ParseWeekClose(bad); err == nil {
			t.Errorf("%s: accepted %q", name, bad)
		}
	}
}

// FuzzOpenWeekClose: whatever opens as a week close has exactly one text
// and cannot also open as a checkpoint.
func FuzzOpenWeekClose(f *testing.F) {
	v, sent, cosigned := closeOfVectors(f)
	f.Add(sent)
	f.Add(cosigned)
	f.Fuzz(func(t *testing.T, data []byte) {
		if w, err := ParseWeekClose(string(data)); err == nil && w.Text() != string(data) {
			t.Fatalf("ParseWeekClose accepted %q, which is not the text of %v", data, w)
		}
		w, by, err := OpenWeekClose(data, v.contractor, v.employ)
		if err != nil {
			return
		}
		if len(by) == 0 || !bytes.HasPrefix(data, []byte(w.Text()+"\n")) {
			t.Fatalf("opened %v from a note that does not start with its text", w)
		}
		if _, _, err := OpenCheckpoint(data, v.contractor, v.employ); err == nil {
			t.Fatalf("a note opened both as a week close and as a checkpoint")
		}
	})
}

// TestVerifyWeek: the week's entries with their proofs verify against the
// close; one dropped, one added from another week, or a proof swapped do not.
func TestVerifyWeek(t *testing.T) {
	v, _, cosigned := closeOfVectors(t)
	w, _, err := OpenWeekClose(cosigned, v.contractor, v.employ)
	if err != nil {
		t.Fatal(err)
	}
	log := append(append([]Signed{}, v.entries...), v.limited)
	proofs, err := WeekProofs(log, w.Size, log)
	if err != nil {
		t.Fatal(err)
	}
	bs := func(ss []Signed) [][]byte {
		var out [][]byte
		for _, s := range ss {
			out = append(out, s.Bytes)
		}
		return out
	}
	if _, err := VerifyWeek(testContract, pub(contractorKey), w, weekTo, bs(log), proofs); err != nil {
		t.Fatalf("the honest week: %v", err)
	}
	swapped := append([][][32]byte{proofs[1], proofs[0]}, proofs[2:]...)
	for name, c := range map[string]struct {
		entries [][]byte
		proofs  [][][32]byte
	}{
		"dropped entry":  {bs(log[1:]), proofs[1:]},
		"swapped proofs": {bs(log), swapped},
		"no proofs":      {bs(log), nil},
	} {
		if _, err := VerifyWeek(testContract, pub(contractorKey), w, weekTo, c.entries, c.proofs); err == nil {
			t.Errorf("%s: verified", name)
		}
	}
	// The week before has none of these entries.
	if _, err := VerifyWeek(testContract, pub(contractorKey), WeekClose{Checkpoint: w.Checkpoint, Week: weekFrom - 7*86400, Count: 4, Digest: w.Digest}, weekFrom, bs(log), proofs); !errors.Is(err, ErrNotTheWeek) {
		t.Errorf("another week's close: got %v, want ErrNotTheWeek", err)
	}
}

// A correction names the earlier week it makes up for (key 15): it signs
// and reads back; a void or a later week cannot carry one.
func TestCorrectsRoundTrip(t *testing.T) {
	e := manualEntry(day0900+7*86400, "forgot Tuesday's call")
	e.Seq, e.Corrects = 1, weekFrom
	e.ContractID, e.LogID = testContract, LogIDOf(testContract, pub(contractorKey))
	s, err := Sign(contractorKey, e)
	if err != nil {
		t.Fatal(err)
	}
	got, err := OpenEntry(s.Bytes)
	if err != nil || got.Entry.Corrects != weekFrom {
		t.Fatalf("read back %+v %v; want corrects %d", got.Entry, err, weekFrom)
	}
	for name, bad := range map[string]Entry{
		"a void":       {Seq: 2, Start: day0900, Kind: KindVoid, ApprovedAt: day1800, Voids: &VoidRef{Seq: 1}, Corrects: weekFrom - 7*86400},
		"a later week": {Seq: 1, Start: day0900, Kind: KindManual, ApprovedAt: day1800, Corrects: day0900 + 86400},
	} {
		if err := Validate(bad); !errors.Is(err, ErrInvalidEntry) {
			t.Errorf("%s carrying corrects: %v, want ErrInvalidEntry", name, err)
		}
	}
}
