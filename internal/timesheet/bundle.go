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
	fileEmployerKey   = "keys/employer.pub"
	fileContractorKey = "keys/contractor.pub"
	entriesDir        = "entries/"
)

func entryName(seq int) string { return fmt.Sprintf("%s%06d.cose", entriesDir, seq) }

// bundle is a bundle's contents by role.
type bundle struct {
	readme, doc, sig, offer, acceptance, end, checkpoint []byte
	employerKey, contractorKey                           []byte
	entries                                              [][]byte // seq 1, 2, …
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
	out = append(out, file{fileCheckpoint, b.checkpoint},
		file{fileEmployerKey, b.employerKey}, file{fileContractorKey, b.contractorKey})
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
	var b bundle
	for _, m := range []struct {
		name     string
		dst      *[]byte
		optional bool
	}{
		{fileReadme, &b.readme, false}, {fileDoc, &b.doc, false}, {fileSig, &b.sig, false},
		{fileOffer, &b.offer, false}, {fileAcceptance, &b.acceptance, false}, {fileEnd, &b.end, true},
		{fileCheckpoint, &b.checkpoint, false},
		{fileEmployerKey, &b.employerKey, false}, {fileContractorKey, &b.contractorKey, false},
	} {
		data, ok := byName[m.name]
		if !ok && !m.optional {
			return bundle{}, fmt.Errorf("%w: %s", ErrMissingFile, m.name)
		}
		*m.dst = data
		delete(byName, m.name)
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
	fmt.Fprintf(&s, "Week:       %s (%s to %s)\n", ts.Week, ts.WeekStart, ts.WeekEnd)
	fmt.Fprintf(&s, "Employer:   %s, key fingerprint %s\n", ts.Employer.Name, ts.Employer.Fingerprint)
	fmt.Fprintf(&s, "Contractor: %s, key fingerprint %s\n", ts.Contractor.Name, ts.Contractor.Fingerprint)
	fmt.Fprintf(&s, "Signed by:  the %s\n\n", ts.SignedBy)
	s.WriteString(readmeBody)
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
