package timesheet

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
)

// Summary is what a verified bundle says.
type Summary struct {
	Timesheet  Timesheet // exactly the signed timesheet.json
	Signer     Party     // the party who signed it
	Checkpoint ledger.Checkpoint
	// Close is the week's close when the bundle is of a closed week.
	Close *ledger.WeekClose
	// Terms are the signed terms the totals were computed under.
	Terms contract.Terms
}

// String is a short report for `workdiary verify`: what was billed, under
// which signed terms and window, and how final it is.
func (s Summary) String() string {
	ts := s.Timesheet
	return fmt.Sprintf("valid: %q, week %s, starting %s (%s to %s)\ncontract %s\nemployer %s (%s), contractor %s (%s)\n"+
		"tracked %s, billable %s, amount %s\nsigned by the %s; %s",
		ts.Title, ts.Week, s.Terms.Weeks(), ts.WeekStart, ts.WeekEnd, ts.ContractID,
		ts.Employer.Name, ts.Employer.Fingerprint, ts.Contractor.Name, ts.Contractor.Fingerprint,
		hm(ts.Totals.TrackedMinutes), hm(ts.Totals.BillableMinutes), AmountString(ts), ts.SignedBy, s.finality()) +
		termsLines(ts) + s.closingLine() + refusedLines(ts.Refused) + correctionLines(ts.Corrections)
}

// correctionLines name this week's time that makes up for a closed week.
func correctionLines(cs []Correction) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "\ncorrection of closed week %s: seq %d at %s, %s", c.Corrects, c.Seq, c.Start, hm(c.Minutes))
	}
	return b.String()
}

// finality says what pins the entries: a closed week, or only a
// checkpoint that a later one may extend with more time in the week.
func (s Summary) finality() string {
	if s.Close != nil {
		f := fmt.Sprintf("week closed by both parties at log size %d (%d entries of the week, each proven in the closed log)",
			s.Close.Size, s.Close.Count)
		if n := s.Timesheet.ReviewedSize; n > 0 {
			f += fmt.Sprintf("\ndisputes and answers bound after the close: proven up to log size %d, cosigned by both and consistent with the close (any bound later is not in this bundle)", n)
		}
		return f
	}
	return fmt.Sprintf("log checkpoint size %d, cosigned by both; the week is not closed, a later bundle may count more", s.Checkpoint.Size)
}

// closingLine says when the signed offer closes a week.
func (s Summary) closingLine() string {
	if s.Terms.CloseAfterHours > 0 {
		return fmt.Sprintf("\na week closes %d h after its end", s.Terms.CloseAfterHours)
	}
	return "\nweeks do not close"
}

// termsLines say what the contract's window and terms were that week, as
// the log binds them, and what the employer disputes.
func termsLines(ts Timesheet) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\ncontract from %s", ts.ContractStart)
	if ts.ContractEnd != "" {
		fmt.Fprintf(&b, " to %s (an end bound into the log)", ts.ContractEnd)
	}
	fmt.Fprintf(&b, "; terms in force: %s %s/h, weekly limit %d h", ts.Rate, ts.Currency, ts.WeeklyLimitHours)
	for _, p := range ts.Paused {
		fmt.Fprintf(&b, "\npaused from %s until %s", p.From, orDefault(p.Until, "further notice"))
	}
	if ts.Totals.DisputedMinutes > 0 {
		fmt.Fprintf(&b, "\ndisputed, not billed: %s (%s %s)", hm(ts.Totals.DisputedMinutes), ts.Totals.DisputedAmount, ts.Currency)
	}
	for _, d := range ts.Disputes {
		fmt.Fprintf(&b, "\ndispute %.12s of %d segments (%s): %s", d.ID, len(d.Segments), d.At, d.Reason)
		for _, a := range d.Answers {
			fmt.Fprintf(&b, "\n  answer %s", a)
		}
	}
	return b.String()
}

// refusedLines name the week's refused entries, which count for nothing.
func refusedLines(rs []Refused) string {
	var b strings.Builder
	for _, r := range rs {
		fmt.Fprintf(&b, "\nrefused, not counted: seq %d at %s: %s", r.Seq, r.Start, r.Reason)
	}
	return b.String()
}

// VerifyBundle checks a bundle offline and returns its summary or the
// first failure, wrapped in one of the package's sentinel errors.
func VerifyBundle(zipPath string) (Summary, error) {
	fi, err := os.Stat(zipPath)
	if err != nil {
		return Summary{}, fmt.Errorf("verify: %w", err)
	}
	if fi.Size() > MaxBundleSize {
		return Summary{}, fmt.Errorf("%w: %d bytes, over the %d limit", ErrMalformed, fi.Size(), MaxBundleSize)
	}
	b, err := os.ReadFile(zipPath)
	if err != nil {
		return Summary{}, fmt.Errorf("verify: %w", err)
	}
	return VerifyBundleBytes(b)
}

// VerifyBundleBytes is VerifyBundle on the zip's bytes. In order: the zip
// and its file list; the offer, the acceptance and the key files; the
// checkpoint's two signatures and size; the checkpoint's root over the
// entries; every entry (chain from seq 1, contract, log); the timesheet's
// signature and bytes; that its entries lie in its week; that recomputing
// it gives the same bytes, checking the signature of each entry it
// counts (the contractor's signature on the root covers the others); the
// README; the zip's canonical form.
func VerifyBundleBytes(zipBytes []byte) (Summary, error) {
	return verifyBundleBytes(zipBytes, nil)
}

// verifyBundleBytes is VerifyBundleBytes; known, when it covers the zip's
// log (pinned.go), stands for verifying that log under its checkpoint
// again, and for the signatures it checked.
func verifyBundleBytes(zipBytes []byte, known *pinned) (Summary, error) {
	files, err := readZip(zipBytes)
	if err != nil {
		return Summary{}, err
	}
	b, err := parseBundle(files)
	if err != nil {
		return Summary{}, err
	}
	if b.close != nil {
		return verifyClosed(b, zipBytes)
	}
	offer, acc, err := verifyParties(b)
	if err != nil {
		return Summary{}, err
	}
	cid, conKey := offer.ID(), acc.Contractor.PublicKey
	cp, err := openCheckpoint(b.checkpoint, offer.EmployerKey, conKey, b.entries)
	if err != nil {
		return Summary{}, err
	}
	if !known.covers(b) {
		known = nil
	}
	log := known.logOrNil()
	if log == nil {
		if log, err = pinnedLog(cid, conKey, cp, b.entries); err != nil {
			return Summary{}, err
		}
	}
	ts, signer, err := openTimesheet(b)
	if err != nil {
		return Summary{}, err
	}
	if err := checkListed(ts, log, offer, acc); err != nil {
		return Summary{}, err
	}
	if err := recompute(ts, b, offer, acc, log, cp, known); err != nil {
		return Summary{}, err
	}
	if err := checkPackaging(b, ts, signer, zipBytes); err != nil {
		return Summary{}, err
	}
	return Summary{Timesheet: ts, Signer: signer, Checkpoint: cp, Terms: offer.Terms}, nil
}

// verifyParties checks the offer, the acceptance against it, and that the
// key files are exactly the keys (and names) those records carry.
func verifyParties(b bundle) (*contract.Offer, *contract.Acceptance, error) {
	offer, err := contract.DecodeOffer(b.offer)
	if err != nil {
		return nil, nil, classify(fileOffer, err)
	}
	acc, err := contract.VerifyAcceptance(b.acceptance, offer)
	if err != nil {
		return nil, nil, classify(fileAcceptance, err)
	}
	if !bytes.Equal(b.employerKey, keyFile(offer.EmployerKey, offer.EmployerName)) {
		return nil, nil, fmt.Errorf("%s: %w: it is not the key that signed the offer (fingerprint %s)",
			fileEmployerKey, ErrKeyMismatch, fingerprint(offer.EmployerKey))
	}
	if !bytes.Equal(b.contractorKey, keyFile(acc.Contractor.PublicKey, acc.Contractor.Name)) {
		return nil, nil, fmt.Errorf("%s: %w: it is not the key that signed the acceptance (fingerprint %s)",
			fileContractorKey, ErrKeyMismatch, fingerprint(acc.Contractor.PublicKey))
	}
	return offer, acc, nil
}

// checkListed makes sure every entry the timesheet counts is a live auto
// or manual entry, admitted by the contract's entry rules, with time
// inside the week.
func checkListed(ts Timesheet, log []ledger.Signed, offer *contract.Offer, acc *contract.Acceptance) error {
	start, err1 := time.Parse(time.RFC3339, ts.WeekStart)
	end, err2 := time.Parse(time.RFC3339, ts.WeekEnd)
	if err1 != nil || err2 != nil {
		return fmt.Errorf("%w: timesheet.json: week_start and week_end must be RFC 3339 times", ErrMalformed)
	}
	w := Week{Start: start, End: end}
	b, err := walk(offer, acc, log, w, nil)
	if err != nil {
		return err
	}
	alive := b.counted // in log order: by seq
	for _, seq := range ts.Entries {
		i, found := slices.BinarySearchFunc(alive, seq, func(s ledger.Signed, seq uint64) int { return cmp.Compare(s.Entry.Seq, seq) })
		if !found {
			return fmt.Errorf("%w: timesheet counts seq %d, which is not a live entry of the log the contract admits", ErrNotInWeek, seq)
		}
		in := slices.ContainsFunc(minuteTimes(alive[i].Entry), func(t int64) bool { return w.Contains(time.Unix(t, 0)) })
		if !in {
			return fmt.Errorf("%w: timesheet counts seq %d at %s, outside %s to %s", ErrNotInWeek, seq,
				rfc3339(time.Unix(alive[i].Entry.Start, 0)), ts.WeekStart, ts.WeekEnd)
		}
	}
	return nil
}

// recompute builds the timesheet again from the bundle's signed inputs
// (the log already verified under the checkpoint cp) and demands the same
// bytes as timesheet.json.
func recompute(ts Timesheet, b bundle, offer *contract.Offer, acc *contract.Acceptance, log []ledger.Signed, cp ledger.Checkpoint, known *pinned) error {
	if ts.ContractEnd != "" && b.end == nil {
		return fmt.Errorf("%w: %s (the timesheet says the contract ended %s)", ErrMissingFile, fileEnd, ts.ContractEnd)
	}
	week, err := ParseWeek(ts.Week, offer.Weeks())
	if err != nil {
		return fmt.Errorf("%w: recomputing: %w", ErrTotalsMismatch, err)
	}
	in := Input{Offer: b.offer, Acceptance: b.acceptance, End: b.end, Entries: b.entries, Week: ts.Week, Checkpoint: b.checkpoint}
	again, err := buildOpen(in, offer, acc, week, log, &cp, known)
	if err != nil {
		return fmt.Errorf("%w: recomputing: %w", ErrTotalsMismatch, err)
	}
	again.SignedBy = ts.SignedBy
	want, err := again.Encode()
	if err != nil {
		return err
	}
	have, _ := ts.Encode()
	if !bytes.Equal(have, want) {
		return fmt.Errorf("%w: %s", ErrTotalsMismatch, firstDiff(have, want))
	}
	return nil
}

// firstDiff names the first top-level field where two timesheets differ.
func firstDiff(have, want []byte) string {
	var h, w map[string]json.RawMessage
	json.Unmarshal(have, &h)
	json.Unmarshal(want, &w)
	for _, k := range jsonFieldOrder() {
		if !bytes.Equal(compact(h[k]), compact(w[k])) {
			return fmt.Sprintf("%s is %s, the entries give %s", k, clip(h[k]), clip(w[k]))
		}
	}
	return "the encoding differs"
}

func jsonFieldOrder() []string {
	return []string{"version", "signed_by", "contract_id", "title", "week", "week_start", "week_end",
		"contract_start", "contract_end", "currency", "rate_minor", "rate", "weekly_limit_hours",
		"manual_time_billable", "employer", "contractor", "totals", "days", "entries", "log_id", "log_size", "log_root", "week_closed", "refused",
		"paused", "disputes", "corrections"}
}

func compact(m json.RawMessage) []byte {
	var buf bytes.Buffer
	if json.Compact(&buf, m) != nil {
		return m
	}
	return buf.Bytes()
}

func clip(m json.RawMessage) string {
	s := string(compact(m))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return strings.TrimSpace(s)
}

// checkPackaging compares what is left to the one form Export writes: the
// JSON re-encodes to itself, the README is the standard text, and the zip
// is byte for byte the canonical zip of its contents.
func checkPackaging(b bundle, ts Timesheet, signer Party, zipBytes []byte) error {
	if doc, _ := ts.Encode(); !bytes.Equal(doc, b.doc) {
		return fmt.Errorf("%w: timesheet.json is not in canonical form", ErrTampered)
	}
	if !bytes.Equal(b.readme, []byte(readmeText(ts, signer))) {
		return fmt.Errorf("%w: %s differs from the standard text", ErrTampered, fileReadme)
	}
	canon, err := writeZip(b.files())
	if err != nil {
		return err
	}
	if !bytes.Equal(canon, zipBytes) {
		return fmt.Errorf("%w: the zip container was changed (file order, times or headers)", ErrTampered)
	}
	return nil
}

// verifyClosed checks a closed week's bundle: the parties and keys, the
// close (both signatures), the timesheet's signature, then recomputes the
// timesheet from the week's entries and their proofs against the close,
// which checks that they are exactly the week's (none dropped or added,
// none of another week), that the acceptance is the one the week was
// closed with, and that every total follows; then the packaging.
func verifyClosed(b bundle, zipBytes []byte) (Summary, error) {
	offer, acc, err := verifyParties(b)
	if err != nil {
		return Summary{}, err
	}
	w, err := openClose(b.close, offer.EmployerKey, acc.Contractor.PublicKey)
	if err != nil {
		return Summary{}, err
	}
	proofs := make([][][32]byte, len(b.proofs))
	for i, p := range b.proofs {
		if proofs[i], err = proofHashes(proofName(int(b.seqs[i])), p); err != nil {
			return Summary{}, err
		}
	}
	ts, signer, err := openTimesheet(b)
	if err != nil {
		return Summary{}, err
	}
	if ts.ContractEnd != "" && b.end == nil {
		return Summary{}, fmt.Errorf("%w: %s (the timesheet says the contract ended %s)", ErrMissingFile, fileEnd, ts.ContractEnd)
	}
	in := Input{Offer: b.offer, Acceptance: b.acceptance, End: b.end, Entries: b.entries,
		Week: ts.Week, Close: b.close, Proofs: proofs}
	if err := b.reviewInput(&in); err != nil {
		return Summary{}, err
	}
	again, err := Build(in)
	if err != nil {
		return Summary{}, err
	}
	for i, s := range again.src.review.seqs {
		if s != b.reviewSeqs[i] {
			return Summary{}, fmt.Errorf("%w: %s holds seq %d", ErrTampered, reviewName(b.reviewSeqs[i]), s)
		}
	}
	for i, s := range again.src.seqs {
		if s != b.seqs[i] {
			return Summary{}, fmt.Errorf("%w: %s holds seq %d", ErrTampered, entryName(int(b.seqs[i])), s)
		}
	}
	again.SignedBy = ts.SignedBy
	want, err := again.Encode()
	if err != nil {
		return Summary{}, err
	}
	if have, _ := ts.Encode(); !bytes.Equal(have, want) {
		return Summary{}, fmt.Errorf("%w: %s", ErrTotalsMismatch, firstDiff(have, want))
	}
	if err := checkPackaging(b, ts, signer, zipBytes); err != nil {
		return Summary{}, err
	}
	return Summary{Timesheet: ts, Signer: signer, Checkpoint: w.Checkpoint, Close: &w, Terms: offer.Terms}, nil
}

// openTimesheet checks timesheet.cose signs timesheet.json and returns the
// timesheet with the party who signed it.
func openTimesheet(b bundle) (Timesheet, Party, error) {
	signerKey, err := openSigned(b.sig, b.doc)
	if err != nil {
		return Timesheet{}, Party{}, err
	}
	ts, err := Decode(b.doc)
	if err != nil {
		return Timesheet{}, Party{}, err
	}
	signer, err := checkSigner(ts, signerKey)
	return ts, signer, err
}
