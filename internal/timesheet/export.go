package timesheet

import (
	"crypto/ed25519"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// BundleParts is what a bundle needs beyond the timesheet.
type BundleParts struct {
	// Checkpoint is the cosigned checkpoint note (signed by the contractor
	// and the employer) of exactly the entries the timesheet was built from.
	Checkpoint []byte
	// Name is the base name of the files; default timesheet-<id>-<week>.
	Name string
}

// Files are the paths Export wrote and how to check the signature.
type Files struct {
	Zip            string `json:"zip"`
	PDF            string `json:"pdf"`
	CSV            string `json:"csv"`
	Sig            string `json:"sig"`
	AllowedSigners string `json:"allowed_signers"`
	// Principal names the signer in allowed_signers: their peer ID.
	Principal string `json:"principal"`
	// VerifyCommand checks the detached signature with stock OpenSSH when
	// run in the export directory.
	VerifyCommand string `json:"verify_command"`
}

// Export signs ts with signer (the employer, or the contractor as proof of
// delivery) and writes <name>.zip, .pdf, .csv, .zip.sig and
// allowed_signers into dir. ts must come from Build. The zip is verified
// with VerifyBundle's checks before anything is written.
func Export(dir string, ts Timesheet, signer ed25519.PrivateKey, parts BundleParts) (Files, error) {
	f, _, err := ExportVerified(dir, ts, signer, parts)
	return f, err
}

// ExportVerified is Export that also returns what verifying the zip it
// wrote says, as VerifyBundle would of the file, without reading and
// verifying it once more.
func ExportVerified(dir string, ts Timesheet, signer ed25519.PrivateKey, parts BundleParts) (Files, Summary, error) {
	name := parts.Name
	if name == "" {
		name = fmt.Sprintf("timesheet-%.12s-%s", ts.ContractID, ts.Week)
	}
	if name != filepath.Base(name) || strings.HasPrefix(name, ".") {
		return Files{}, Summary{}, fmt.Errorf("%w: bundle name %q must be a plain file name", ErrBadInput, name)
	}
	signed, zipBytes, sum, err := pack(ts, signer, parts.Checkpoint)
	if err != nil {
		return Files{}, Summary{}, err
	}
	outputs, err := renderAll(signed, zipBytes, signer)
	if err != nil {
		return Files{}, Summary{}, err
	}
	pub := signer.Public().(ed25519.PublicKey)
	principal := identity.PeerIDOf(pub).String()
	f := Files{
		Zip: filepath.Join(dir, name+".zip"), PDF: filepath.Join(dir, name+".pdf"), CSV: filepath.Join(dir, name+".csv"),
		Sig: filepath.Join(dir, name+".zip.sig"), AllowedSigners: filepath.Join(dir, "allowed_signers"), Principal: principal,
		VerifyCommand: fmt.Sprintf("ssh-keygen -Y verify -f allowed_signers -I %s -n %s -s %s.zip.sig < %s.zip",
			principal, SSHNamespace, name, name),
	}
	for path, data := range map[string][]byte{f.Zip: zipBytes, f.PDF: outputs.pdf, f.CSV: outputs.csv, f.Sig: outputs.sig} {
		if err := writeFile(path, data); err != nil {
			return Files{}, Summary{}, err
		}
	}
	line := allowedSignersLine(principal, identity.SSHPublicKey(pub, ""))
	return f, sum, addAllowedSigner(f.AllowedSigners, line)
}

type rendered struct{ pdf, csv, sig []byte }

func renderAll(ts Timesheet, zipBytes []byte, signer ed25519.PrivateKey) (rendered, error) {
	var r rendered
	var err error
	if r.pdf, err = PDF(ts); err != nil {
		return r, err
	}
	if r.csv, err = CSV(ts); err != nil {
		return r, err
	}
	r.sig, err = SignSSH(zipBytes, signer)
	return r, err
}

// Pack signs ts and returns it with the bundle's zip bytes. It checks the
// checkpoint first (both signatures, and that it covers exactly ts's
// entries) and verifies the finished zip, so it never hands out a bundle
// that `workdiary verify` would refuse. A timesheet of a closed week
// brings its close and proofs from Build; checkpoint is then unused.
func Pack(ts Timesheet, signer ed25519.PrivateKey, checkpoint []byte) (Timesheet, []byte, error) {
	signed, zipBytes, _, err := pack(ts, signer, checkpoint)
	return signed, zipBytes, err
}

// pack is Pack, also returning the finished zip's verification.
func pack(ts Timesheet, signer ed25519.PrivateKey, checkpoint []byte) (Timesheet, []byte, Summary, error) {
	src := ts.src
	if src.offer == nil {
		return Timesheet{}, nil, Summary{}, fmt.Errorf("%w: export needs a timesheet from Build", ErrBadInput)
	}
	if src.close == nil {
		if _, err := openCheckpoint(checkpoint, src.employerKey, src.contractorKey, src.entries); err != nil {
			return Timesheet{}, nil, Summary{}, err
		}
	}
	signed, doc, msg, err := Sign(ts, signer)
	if err != nil {
		return Timesheet{}, nil, Summary{}, err
	}
	signerParty := map[string]Party{SignedByEmployer: ts.Employer, SignedByContractor: ts.Contractor}[signed.SignedBy]
	b := bundle{
		readme: []byte(readmeText(signed, signerParty)), doc: doc, sig: msg,
		offer: src.offer, acceptance: src.acceptance, end: src.end, checkpoint: checkpoint,
		employerKey:   keyFile(src.employerKey, src.employerSigned),
		contractorKey: keyFile(src.contractorKey, src.contractorSigned),
		entries:       src.entries,
	}
	if src.close != nil { // a closed week: its entries, proven against the close
		b.checkpoint, b.close, b.seqs = nil, src.close, src.seqs
		for _, p := range src.proofs {
			b.proofs = append(b.proofs, proofBytes(p))
		}
		b.addReview(src.review)
	}
	zipBytes, err := writeZip(b.files())
	if err != nil {
		return Timesheet{}, nil, Summary{}, err
	}
	// The zip's own bytes are checked as verify would, except that a log
	// Build verified under the same checkpoint is not decoded again.
	sum, err := verifyBundleBytes(zipBytes, src.pinned)
	if err != nil {
		return Timesheet{}, nil, Summary{}, fmt.Errorf("the new bundle does not verify: %w", err)
	}
	return signed, zipBytes, sum, nil
}

// openCheckpoint checks a checkpoint note: both parties signed it (their
// note names are their peer IDs) and it covers exactly entries.
func openCheckpoint(note []byte, employer, contractor ed25519.PublicKey, entries [][]byte) (ledger.Checkpoint, error) {
	c, err := openCosigned(fileCheckpoint, note, employer, contractor)
	if err != nil {
		return ledger.Checkpoint{}, err
	}
	if err := entryCount(c.Size, len(entries)); err != nil {
		return ledger.Checkpoint{}, err
	}
	return c, nil
}

// openCosigned opens the checkpoint note in member name: both parties
// signed it, their note names being their peer IDs.
func openCosigned(name string, note []byte, employer, contractor ed25519.PublicKey) (ledger.Checkpoint, error) {
	emp := ledger.NoteKey{Name: identity.PeerIDOf(employer).String(), Public: employer}
	con := ledger.NoteKey{Name: identity.PeerIDOf(contractor).String(), Public: contractor}
	c, signers, err := ledger.OpenCheckpoint(note, emp, con)
	if err != nil {
		return ledger.Checkpoint{}, classify(name, err)
	}
	if len(signers) != 2 {
		return ledger.Checkpoint{}, fmt.Errorf("%s: %w: it carries %d of the 2 signatures", name, ErrNotCosigned, len(signers))
	}
	return c, nil
}

// entryCount compares the checkpoint's size with the entries at hand.
func entryCount(size uint64, have int) error {
	switch {
	case size > uint64(have):
		return fmt.Errorf("%w: %s (the checkpoint covers %d entries, the bundle has %d)", ErrMissingFile, entryName(have+1), size, have)
	case size < uint64(have):
		return fmt.Errorf("%w: %s (the checkpoint covers only %d entries)", ErrExtraFile, entryName(int(size)+1), size)
	}
	return nil
}

func keyFile(pub ed25519.PublicKey, name string) []byte {
	return []byte(identity.SSHPublicKey(pub, name) + "\n")
}

// writeFile replaces path atomically: a reader sees the old file or the
// whole new one.
func writeFile(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("export %s: %w", path, err)
	}
	return os.Rename(tmp.Name(), path)
}

// addAllowedSigner adds line to the allowed_signers file unless it is
// there, so bundles by several signers can share one export folder.
func addAllowedSigner(path, line string) error {
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return fmt.Errorf("export: %w", err)
	}
	for _, l := range strings.Split(string(old), "\n") {
		if l == line {
			return nil
		}
	}
	if len(old) > 0 && !strings.HasSuffix(string(old), "\n") {
		old = append(old, '\n')
	}
	return writeFile(path, append(old, line+"\n"...))
}
