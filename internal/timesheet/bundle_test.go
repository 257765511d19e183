package timesheet

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

func TestVerifyBundleSummary(t *testing.T) {
	w := goldenWorld(t)
	ts, zipBytes := w.pack("2026-W48", w.emp)
	sum, err := VerifyBundleBytes(zipBytes)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Signer != ts.Employer || sum.Timesheet.Totals != ts.Totals || sum.Checkpoint.Size != 12 {
		t.Errorf("summary = signer %s, totals %+v, checkpoint %d; want the employer, %+v, 12",
			sum.Signer.Name, sum.Timesheet.Totals, sum.Checkpoint.Size, ts.Totals)
	}
	if s := sum.String(); !strings.Contains(s, "35.00 USD") || !strings.Contains(s, "signed by the employer") {
		t.Errorf("summary text %q lacks the amount or the signer", s)
	}
	// The golden week's manual entry (seq 7) breaks the contract's terms:
	// the verifier applies the entry rules itself, counts nothing of it
	// and says so.
	if slices.Contains(sum.Timesheet.Entries, 7) || len(sum.Timesheet.Refused) != 1 || sum.Timesheet.Refused[0].Seq != 7 {
		t.Errorf("verified bundle counts %v and refuses %+v; want seq 7 refused, not counted", sum.Timesheet.Entries, sum.Timesheet.Refused)
	}
	if s := sum.String(); !strings.Contains(s, "refused, not counted: seq 7") || !strings.Contains(s, "does not allow manual time") {
		t.Errorf("summary text does not report the refused entry:\n%s", s)
	}
}

func TestContractorSignsProofOfDelivery(t *testing.T) {
	w := goldenWorld(t)
	ts, zipBytes := w.pack("2026-W48", w.con)
	if ts.SignedBy != SignedByContractor {
		t.Fatalf("signed_by = %q, want contractor", ts.SignedBy)
	}
	sum, err := VerifyBundleBytes(zipBytes)
	if err != nil {
		t.Fatal(err)
	}
	if sum.Signer.PeerID != w.con.PeerID().String() {
		t.Errorf("signer = %s, want the contractor", sum.Signer.Name)
	}
	outsider := seedIdentity(t, 0x61, "Mallory")
	if _, _, err := Pack(w.build("2026-W48"), outsider.PrivateKey(), w.checkpoint()); !errors.Is(err, ErrBadInput) {
		t.Errorf("Pack by an outsider: err = %v, want ErrBadInput", err)
	}
}

// TestEveryChangedByteFails changes one byte in the middle of each member
// (re-zipped with a valid CRC, as a forger would) and one byte of the zip
// itself at many offsets: every one must fail.
func TestEveryChangedByteFails(t *testing.T) {
	w := goldenWorld(t)
	_, zipBytes := w.pack("2026-W48", w.emp)
	files, err := readZip(zipBytes)
	if err != nil {
		t.Fatal(err)
	}
	for i, f := range files {
		changed := slices.Clone(files)
		changed[i].data = flip(f.data, len(f.data)/2)
		z, err := writeZip(changed)
		if err != nil {
			t.Fatal(err)
		}
		_, err = VerifyBundleBytes(z)
		if !isSentinel(err) {
			t.Errorf("%s with byte %d changed: err = %v, want one of the package's errors", f.name, len(f.data)/2, err)
		}
		t.Logf("%s: %v", f.name, err)
	}
	for off := 0; off < len(zipBytes); off += 37 {
		if _, err := VerifyBundleBytes(flip(zipBytes, off)); !isSentinel(err) {
			t.Errorf("zip with byte %d changed: err = %v, want one of the package's errors", off, err)
		}
	}
}

func TestTamperSentinels(t *testing.T) {
	w := goldenWorld(t)
	ts, zipBytes := w.pack("2026-W48", w.emp)
	files, err := readZip(zipBytes)
	if err != nil {
		t.Fatal(err)
	}
	b, err := parseBundle(files)
	if err != nil {
		t.Fatal(err)
	}
	outsider := seedIdentity(t, 0x61, "Mallory")
	tests := []struct {
		name   string
		change func(b *bundle, files []file) []file
		want   error
	}{
		{"remove the last entry", func(b *bundle, _ []file) []file { b.entries = b.entries[:len(b.entries)-1]; return nil }, ErrMissingFile},
		{"remove a middle entry", func(_ *bundle, fs []file) []file { return without(fs, entryName(4)) }, ErrMissingFile},
		{"remove the checkpoint", func(_ *bundle, fs []file) []file { return without(fs, fileCheckpoint) }, ErrMissingFile},
		{"add an entry", func(b *bundle, _ []file) []file { b.entries = append(b.entries, b.entries[0]); return nil }, ErrExtraFile},
		{"add a file", func(_ *bundle, fs []file) []file { return append(fs, file{"notes.txt", []byte("hi")}) }, ErrExtraFile},
		{"swap the employer key", func(b *bundle, _ []file) []file {
			b.employerKey = keyFile(outsider.PublicKey(), "Acme Ltd")
			return nil
		}, ErrKeyMismatch},
		{"swap the keys", func(b *bundle, _ []file) []file {
			b.employerKey, b.contractorKey = b.contractorKey, b.employerKey
			return nil
		}, ErrKeyMismatch},
		{"change a total and re-sign", func(b *bundle, _ []file) []file {
			t2 := ts
			t2.Totals.BillableMinutes += 60
			b.doc, b.sig = resign(t, t2, w.emp)
			return nil
		}, ErrTotalsMismatch},
		{"change a total without re-signing", func(b *bundle, _ []file) []file {
			t2 := ts
			t2.Totals.AmountMinor = 7000
			b.doc, _ = resign(t, t2, w.emp)
			return nil
		}, ErrTampered},
		{"count an entry of another week", func(b *bundle, _ []file) []file {
			t2 := ts
			t2.Entries = append([]uint64{1}, ts.Entries...)
			b.doc, b.sig = resign(t, t2, w.emp)
			return nil
		}, ErrNotInWeek},
		{"count a voided entry", func(b *bundle, _ []file) []file {
			t2 := ts
			t2.Entries = append(slices.Clone(ts.Entries), 8)
			b.doc, b.sig = resign(t, t2, w.emp)
			return nil
		}, ErrNotInWeek},
		{"timesheet signed by an outsider", func(b *bundle, _ []file) []file {
			b.sig, _ = cose.Sign(outsider.PrivateKey(), b.doc)
			return nil
		}, ErrBadSignature},
		{"signed_by says contractor, employer signed", func(b *bundle, _ []file) []file {
			t2 := ts
			t2.SignedBy = SignedByContractor
			b.doc, b.sig = resign(t, t2, w.emp)
			return nil
		}, ErrBadSignature},
		{"checkpoint signed by the contractor only", func(b *bundle, _ []file) []file {
			c := ledger.CheckpointFor(w.log.ID(), w.entries)
			b.checkpoint, _ = ledger.SignCheckpoint(w.con.PrivateKey(), w.con.PeerID().String(), c)
			return nil
		}, ErrNotCosigned},
		{"checkpoint of another log state", func(b *bundle, _ []file) []file {
			b.entries = b.entries[:len(b.entries)-1]
			w2 := *w
			w2.entries = b.entries
			b.checkpoint = w2.checkpoint()
			return nil
		}, ErrTotalsMismatch}, // the log is consistent but log_size and log_root in the JSON are not
		{"entries reordered", func(_ *bundle, fs []file) []file {
			fs = slices.Clone(fs)
			i := slices.IndexFunc(fs, func(f file) bool { return f.name == entryName(2) })
			fs[i].data, fs[i+1].data = fs[i+1].data, fs[i].data
			return fs
		}, ErrTampered},
		{"files in another order", func(_ *bundle, fs []file) []file {
			fs = slices.Clone(fs)
			fs[0], fs[1] = fs[1], fs[0]
			return fs
		}, ErrTampered},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := b
			c.entries = slices.Clone(b.entries)
			fs := tt.change(&c, slices.Clone(files))
			if fs == nil {
				fs = c.files()
			}
			z, err := writeZip(fs)
			if err != nil {
				t.Fatal(err)
			}
			_, err = VerifyBundleBytes(z)
			if !errors.Is(err, tt.want) {
				t.Fatalf("err = %v, want %v", err, tt.want)
			}
			t.Logf("%v", err)
		})
	}
}

func without(fs []file, name string) []file {
	return slices.DeleteFunc(slices.Clone(fs), func(f file) bool { return f.name == name })
}

// resign encodes ts as is and signs it, as a dishonest signer would.
func resign(t *testing.T, ts Timesheet, by *identity.Identity) (doc, sig []byte) {
	t.Helper()
	doc, err := ts.Encode()
	if err != nil {
		t.Fatal(err)
	}
	sig, err = cose.Sign(by.PrivateKey(), doc)
	if err != nil {
		t.Fatal(err)
	}
	return doc, sig
}

func TestPDFRenders(t *testing.T) {
	for _, tool := range []string{"pdftoppm", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is needed (poppler-utils): %v", tool, err)
		}
	}
	w := goldenWorld(t)
	dir := t.TempDir()
	f, err := Export(dir, w.build("2026-W48"), w.emp.PrivateKey(), BundleParts{Checkpoint: w.checkpoint(), Name: "week"})
	if err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command("pdftoppm", "-png", "-r", "50", f.PDF, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	pngs, _ := filepath.Glob(filepath.Join(dir, "page*.png"))
	if len(pngs) == 0 {
		t.Fatal("pdftoppm made no PNG")
	}
	if st, err := os.Stat(pngs[0]); err != nil || st.Size() < 1000 {
		t.Fatalf("PNG %s is missing or nearly empty: %v", pngs[0], err)
	}
	text, err := exec.Command("pdftotext", "-layout", f.PDF, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	for _, want := range []string{"35.00 USD", "Timesheet 2026-W48", "Acme Ltd", "ZFC4-X4VF-MAQA-EFA6", "1:00", "0:47",
		"accepted 2026-11-20 08:00 UTC", "Tracked", "Manual", "Total", "Billable"} {
		if !bytes.Contains(text, []byte(want)) {
			t.Errorf("PDF text lacks %q:\n%s", want, text)
		}
	}
	// The billable window opens a day early; the document names the acceptance.
	if bytes.Contains(text, []byte("2026-11-19")) {
		t.Errorf("PDF shows the grace start instead of the acceptance:\n%s", text)
	}
}

func TestSSHKeygenVerifies(t *testing.T) {
	if _, err := exec.LookPath("ssh-keygen"); err != nil {
		t.Fatalf("ssh-keygen is needed (OpenSSH): %v", err)
	}
	w := goldenWorld(t)
	dir := t.TempDir()
	f, err := Export(dir, w.build("2026-W48"), w.emp.PrivateKey(), BundleParts{Checkpoint: w.checkpoint(), Name: "week"})
	if err != nil {
		t.Fatal(err)
	}
	run := func() ([]byte, error) {
		cmd := exec.Command("sh", "-c", f.VerifyCommand)
		cmd.Dir = dir
		return cmd.CombinedOutput()
	}
	if out, err := run(); err != nil {
		t.Fatalf("%s: %v\n%s", f.VerifyCommand, err, out)
	}
	zipBytes, _ := os.ReadFile(f.Zip)
	sig, _ := os.ReadFile(f.Sig)
	line := strings.TrimSpace(string(must(os.ReadFile(f.AllowedSigners))))
	if err := VerifySSHSig(zipBytes, sig, line); err != nil {
		t.Fatalf("VerifySSHSig: %v", err)
	}
	changed := flip(zipBytes, len(zipBytes)/2)
	if err := os.WriteFile(f.Zip, changed, 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := run(); err == nil {
		t.Fatalf("ssh-keygen accepted a changed zip:\n%s", out)
	}
	if err := VerifySSHSig(changed, sig, line); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("VerifySSHSig on a changed zip: err = %v, want ErrBadSignature", err)
	}
	other := allowedSignersLine("x", w.con.SSHPublicKey())
	if err := VerifySSHSig(zipBytes, sig, other); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("VerifySSHSig with another signer: err = %v, want ErrBadSignature", err)
	}
}

// TestSSHKeygenSignatureVerifiesHere checks the other direction: a
// signature made by ssh-keygen itself passes VerifySSHSig.
func TestSSHKeygenSignatureVerifiesHere(t *testing.T) {
	dir := t.TempDir()
	keyPath := filepath.Join(dir, "id")
	if out, err := exec.Command("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", keyPath).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen: %v\n%s", err, out)
	}
	data := filepath.Join(dir, "data")
	os.WriteFile(data, []byte("bundle bytes"), 0o644)
	if out, err := exec.Command("ssh-keygen", "-Y", "sign", "-f", keyPath, "-n", SSHNamespace, data).CombinedOutput(); err != nil {
		t.Fatalf("ssh-keygen -Y sign: %v\n%s", err, out)
	}
	pub := strings.TrimSpace(string(must(os.ReadFile(keyPath + ".pub"))))
	if err := VerifySSHSig([]byte("bundle bytes"), must(os.ReadFile(data+".sig")), "me "+pub); err != nil {
		t.Fatalf("VerifySSHSig of an ssh-keygen signature: %v", err)
	}
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

func isSentinel(err error) bool {
	for _, s := range []error{ErrTampered, ErrBadSignature, ErrNotCosigned, ErrKeyMismatch, ErrTotalsMismatch,
		ErrNotInWeek, ErrMissingFile, ErrExtraFile, ErrMalformed} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}
