package timesheet

import (
	"fmt"
	"maps"
	"slices"
	"strings"
)

// Members of a bundle, in the order they are written.
const (
	fileReadme        = "README.txt"
	fileDoc           = "timesheet.json"
	fileSig           = "timesheet.cose"
	fileOffer         = "offer.cose"
	fileAcceptance    = "acceptance.cose"
	fileEnd           = "end.cose" // only when the contract has ended
	fileCheckpoint    = "checkpoint.note"
	fileClose         = "close.note" // instead of checkpoint.note when the week is closed
	fileEmployerKey   = "keys/employer.pub"
	fileContractorKey = "keys/contractor.pub"
	entriesDir        = "entries/"
)

func entryName(seq int) string { return fmt.Sprintf("%s%06d.cose", entriesDir, seq) }

// proofName is an entry's inclusion proof in a closed week's bundle.
func proofName(seq int) string { return fmt.Sprintf("%s%06d.proof", entriesDir, seq) }

// bundle is a bundle's contents by role.
type bundle struct {
	readme, doc, sig, offer, acceptance, end, checkpoint []byte
	employerKey, contractorKey                           []byte
	entries                                              [][]byte // seq 1, 2, …; or the closed week's
	// close is the cosigned week close of a closed week's bundle, which
	// has no checkpoint; then entries are the week's, with seqs and
	// their proofs (the proofs' hashes concatenated).
	close  []byte
	seqs   []uint64
	proofs [][]byte
	// review, consistency and the review entries are what a closed
	// week's bundle carries of its review window (review.go).
	review, consistency []byte
	reviewEntries       [][]byte
	reviewSeqs          []uint64
	reviewProofs        [][]byte
}

// files lists the members in canonical order.
func (b bundle) files() []file {
	out := []file{
		{fileReadme, b.readme}, {fileDoc, b.doc}, {fileSig, b.sig},
		{fileOffer, b.offer}, {fileAcceptance, b.acceptance},
	}
	if b.end != nil {
		out = append(out, file{fileEnd, b.end})
	}
	if b.close != nil {
		out = append(out, file{fileClose, b.close})
	} else {
		out = append(out, file{fileCheckpoint, b.checkpoint})
	}
	out = append(out, file{fileEmployerKey, b.employerKey}, file{fileContractorKey, b.contractorKey})
	if b.close != nil {
		for i, e := range b.entries {
			out = append(out, file{entryName(int(b.seqs[i])), e}, file{proofName(int(b.seqs[i])), b.proofs[i]})
		}
		return append(out, b.reviewFiles()...)
	}
	for i, e := range b.entries {
		out = append(out, file{entryName(i + 1), e})
	}
	return out
}

// parseBundle sorts members into roles: every required file present, the
// entries numbered 1..n without gaps, nothing else.
func parseBundle(files []file) (bundle, error) {
	byName := map[string][]byte{}
	for _, f := range files {
		byName[f.name] = f.data
	}
	if _, closed := byName[fileClose]; closed {
		return parseClosedBundle(byName)
	}
	var b bundle
	if err := b.takeFixed(byName, fileCheckpoint, &b.checkpoint); err != nil {
		return bundle{}, err
	}
	for i := 1; ; i++ {
		data, ok := byName[entryName(i)]
		if !ok {
			break
		}
		b.entries = append(b.entries, data)
		delete(byName, entryName(i))
	}
	return b, leftover(byName, len(b.entries))
}

// takeFixed moves the members every bundle has, and its checkpoint or
// close (pin) into pinDst, out of byName into b.
func (b *bundle) takeFixed(byName map[string][]byte, pin string, pinDst *[]byte) error {
	for _, m := range []struct {
		name     string
		dst      *[]byte
		optional bool
	}{
		{fileReadme, &b.readme, false}, {fileDoc, &b.doc, false}, {fileSig, &b.sig, false},
		{fileOffer, &b.offer, false}, {fileAcceptance, &b.acceptance, false}, {fileEnd, &b.end, true},
		{pin, pinDst, false},
		{fileEmployerKey, &b.employerKey, false}, {fileContractorKey, &b.contractorKey, false},
	} {
		data, ok := byName[m.name]
		if !ok && !m.optional {
			return fmt.Errorf("%w: %s", ErrMissingFile, m.name)
		}
		*m.dst = data
		delete(byName, m.name)
	}
	return nil
}

// leftover reports what parseBundle did not place: a later entry means an
// earlier one is missing; anything else is extra.
func leftover(rest map[string][]byte, entries int) error {
	names := slices.Sorted(maps.Keys(rest))
	for _, name := range names {
		var seq int
		if _, err := fmt.Sscanf(name, entriesDir+"%06d.cose", &seq); err == nil && entryName(seq) == name {
			return fmt.Errorf("%w: %s (the bundle has %s, so the log has a gap)", ErrMissingFile, entryName(entries+1), name)
		}
	}
	if len(names) > 0 {
		return fmt.Errorf("%w: %s", ErrExtraFile, names[0])
	}
	return nil
}

// readmeText explains how to verify; it depends only on the signed
// timesheet, so verify can regenerate it and demand the same bytes.
func readmeText(ts Timesheet, signer Party) string {
	allowed := allowedSignersLine(signer.PeerID, signer.PublicKey)
	var s strings.Builder
	fmt.Fprintf(&s, "Workdiary timesheet bundle\n\n")
	fmt.Fprintf(&s, "Contract:   %s\n            %s\n", ts.Title, ts.ContractID)
	fmt.Fprintf(&s, "Week:       %s (%s to %s%s)\n", ts.Week, ts.WeekStart, ts.WeekEnd, ts.zoneNote())
	fmt.Fprintf(&s, "Employer:   %s, key fingerprint %s\n", ts.Employer.Name, ts.Employer.Fingerprint)
	fmt.Fprintf(&s, "Contractor: %s, key fingerprint %s\n", ts.Contractor.Name, ts.Contractor.Fingerprint)
	fmt.Fprintf(&s, "Signed by:  the %s\n\n", ts.SignedBy)
	if ts.WeekClosed && ts.ReviewedSize > 0 {
		s.WriteString(strings.Replace(readmeClosedBody, readmeProofLine, readmeProofLine+readmeReviewLines, 1))
	} else if ts.WeekClosed {
		s.WriteString(readmeClosedBody)
	} else {
		s.WriteString(readmeBody)
	}
	fmt.Fprintf(&s, "\n  %s\n\nthen:\n\n  ssh-keygen -Y verify -f allowed_signers -I %s -n %s -s BUNDLE.zip.sig < BUNDLE.zip\n",
		allowed, signer.PeerID, SSHNamespace)
	return s.String()
}

const readmeBody = `Files:
  timesheet.json        the timesheet: hours per day, totals, amount (the signed bytes)
  timesheet.cose        COSE_Sign1 (Ed25519) over timesheet.json by the party named in signed_by
  offer.cose            the employer's signed offer; contract ID = SHA-256 of this file
  acceptance.cose       the contractor's signed acceptance of that offer
  end.cose              (only if the contract ended) the signed end of contract
  checkpoint.note       the log checkpoint (C2SP signed note), signed by both parties
  keys/employer.pub     the employer's public key, OpenSSH format
  keys/contractor.pub   the contractor's public key, OpenSSH format
  entries/NNNNNN.cose   the contractor's signed log entries from seq 1

Check the fingerprints above with each party out of band before trusting the keys.

To verify everything (signatures, the log chain, the cosigned checkpoint, and
that the totals follow from the entries):

  workdiary verify BUNDLE.zip

The bundle comes with a detached OpenSSH signature, BUNDLE.zip.sig. To check it
with stock OpenSSH, put this line in a file named allowed_signers:
`

// parseClosedBundle sorts the members of a closed week's bundle: the
// close instead of the checkpoint, and the week's entries, each with its
// proof, in increasing seq.
func parseClosedBundle(byName map[string][]byte) (bundle, error) {
	var b bundle
	if err := b.takeFixed(byName, fileClose, &b.close); err != nil {
		return bundle{}, err
	}
	if err := b.takeReview(byName); err != nil {
		return bundle{}, err
	}
	var err error
	if b.entries, b.seqs, b.proofs, err = takeProven(byName, entriesDir); err != nil {
		return bundle{}, err
	}
	if names := slices.Sorted(maps.Keys(byName)); len(names) > 0 {
		return bundle{}, fmt.Errorf("%w: %s", ErrExtraFile, names[0])
	}
	return b, nil
}

// takeProven moves the members dir/NNNNNN.cose, each with its
// dir/NNNNNN.proof, out of byName, in increasing seq.
func takeProven(byName map[string][]byte, dir string) (entries [][]byte, seqs []uint64, proofs [][]byte, err error) {
	for _, name := range slices.Sorted(maps.Keys(byName)) {
		var seq uint64
		if _, err := fmt.Sscanf(name, dir+"%06d.cose", &seq); err != nil || seq < 1 || provenName(dir, seq, "cose") != name {
			continue
		}
		proof, ok := byName[provenName(dir, seq, "proof")]
		if !ok {
			return nil, nil, nil, fmt.Errorf("%w: %s (the inclusion proof of %s)", ErrMissingFile, provenName(dir, seq, "proof"), name)
		}
		entries, seqs, proofs = append(entries, byName[name]), append(seqs, seq), append(proofs, proof)
		delete(byName, name)
		delete(byName, provenName(dir, seq, "proof"))
	}
	return entries, seqs, proofs, nil
}

func provenName(dir string, seq uint64, ext string) string {
	return fmt.Sprintf("%s%06d.%s", dir, seq, ext)
}

// proofBytes and proofHashes convert an inclusion proof to and from its
// file: the hashes concatenated, 32 bytes each.
func proofBytes(p [][32]byte) []byte {
	out := make([]byte, 0, 32*len(p))
	for _, h := range p {
		out = append(out, h[:]...)
	}
	return out
}

// maxProofHashes bounds a proof: a tree of 2^63 leaves needs 63.
const maxProofHashes = 64

func proofHashes(name string, b []byte) ([][32]byte, error) {
	if len(b)%32 != 0 || len(b) > 32*maxProofHashes {
		return nil, fmt.Errorf("%w: %s is %d bytes, want whole 32-byte hashes, at most %d", ErrMalformed, name, len(b), maxProofHashes)
	}
	out := make([][32]byte, len(b)/32)
	for i := range out {
		copy(out[i][:], b[32*i:])
	}
	return out, nil
}

const (
	readmeProofLine   = "  entries/NNNNNN.proof  each entry's RFC 6962 inclusion proof in the closed log\n"
	readmeReviewLines = `  review/checkpoint.note a later checkpoint, signed by both parties, of the log
                        after the close
  review/consistency.proof  the RFC 6962 proof that it extends the closed log
  review/NNNNNN.cose    the disputes of this week, and their answers, bound after
                        the close
  review/NNNNNN.proof   each one's inclusion proof in the later checkpoint
`
)

const readmeClosedBody = `The week is closed: both parties signed close.note, which names the week,
the log's size and root when it closed, which entries the week has and the
acceptance. No entry added later counts for this week.

Files:
  timesheet.json        the timesheet: hours per day, totals, amount (the signed bytes)
  timesheet.cose        COSE_Sign1 (Ed25519) over timesheet.json by the party named in signed_by
  offer.cose            the employer's signed offer; contract ID = SHA-256 of this file
  acceptance.cose       the contractor's signed acceptance of that offer
  end.cose              (only if the contract ended) the signed end of contract
  close.note            the week's close (C2SP signed note), signed by both parties
  keys/employer.pub     the employer's public key, OpenSSH format
  keys/contractor.pub   the contractor's public key, OpenSSH format
  entries/NNNNNN.cose   the contractor's signed log entries of this week only, by seq
  entries/NNNNNN.proof  each entry's RFC 6962 inclusion proof in the closed log

Check the fingerprints above with each party out of band before trusting the keys.

To verify everything (signatures, the close, that the entries are exactly the
week's and in the closed log, and that the totals follow from them):

  workdiary verify BUNDLE.zip

The bundle comes with a detached OpenSSH signature, BUNDLE.zip.sig. To check it
with stock OpenSSH, put this line in a file named allowed_signers:
`
