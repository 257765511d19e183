package timesheet

import (
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// buildClosed is Build for a week both parties closed: the close names
// the week, the log's size and root at the close, the week's entries
// (count and digest) and the acceptance, so the timesheet needs only the
// week's entries, each proven in the closed tree, and nothing of other
// weeks (docs/format.md §5.3).
func buildClosed(in Input, offer *contract.Offer, acc *contract.Acceptance, week Week) (Timesheet, error) {
	cid, conKey := offer.ID(), acc.Contractor.PublicKey
	w, err := openClose(in.Close, offer.EmployerKey, conKey)
	if err != nil {
		return Timesheet{}, err
	}
	if err := closeFits(w, in.Acceptance, week); err != nil {
		return Timesheet{}, err
	}
	entries, proofs, fromLog := in.Entries, in.Proofs, in.Proofs == nil
	var rv review
	if fromLog { // the log: take the week, and what was bound after it closed, out of it
		all := in.Entries
		if in.Review != nil {
			if rv, err = reviewOfLog(in.Review, offer, conKey, w, all); err != nil {
				return Timesheet{}, err
			}
			all = all[:w.Size]
		}
		if entries, proofs, err = weekOfLog(w, week, all); err != nil {
			return Timesheet{}, err
		}
	} else if in.Review != nil {
		rv = review{note: in.Review, entries: in.ReviewEntries, proofs: in.ReviewProofs, consistency: in.Consistency}
	}
	weekLog, err := ledger.VerifyWeek(cid, conKey, w, week.End.Unix(), entries, proofs)
	if err != nil {
		return Timesheet{}, weekError(err)
	}
	if fromLog && rv.note != nil {
		// From the log: keep only the records that are about this week and
		// bind where they stand in the whole log.
		if rv, err = rv.pick(offer, acc, week, weekLog); err != nil {
			return Timesheet{}, err
		}
	}
	reviewed, cp, err := rv.verify(offer, conKey, w)
	if err != nil {
		return Timesheet{}, err
	}
	rv.seqs = nil
	for _, s := range reviewed {
		rv.seqs = append(rv.seqs, s.Entry.Seq)
	}
	ts, endBytes, err := compute(offer, acc, week, weekLog, reviewed, []ledger.WeekClose{w}, in.End)
	if err != nil {
		return Timesheet{}, err
	}
	if rv.note != nil {
		ts.ReviewedSize, ts.ReviewedRoot = cp.Size, base64.StdEncoding.EncodeToString(cp.Root[:])
	}
	ts.LogID, ts.LogSize = hex.EncodeToString(w.LogID[:]), w.Size
	ts.LogRoot, ts.WeekClosed = base64.StdEncoding.EncodeToString(w.Root[:]), true
	seqs := make([]uint64, len(weekLog))
	for i, s := range weekLog {
		seqs[i] = s.Entry.Seq
	}
	ts.src = sources{offer: in.Offer, acceptance: in.Acceptance, end: endBytes, entries: entries,
		employerKey: offer.EmployerKey, contractorKey: conKey,
		employerSigned: offer.EmployerName, contractorSigned: acc.Contractor.Name,
		close: in.Close, seqs: seqs, proofs: proofs, review: rv}
	return ts, nil
}

// openClose checks a week close carries both parties' signatures, the
// contractor's then the employer's, and no other.
func openClose(note []byte, employer, contractor []byte) (ledger.WeekClose, error) {
	emp := ledger.NoteKey{Name: identity.PeerIDOf(employer).String(), Public: employer}
	con := ledger.NoteKey{Name: identity.PeerIDOf(contractor).String(), Public: contractor}
	w, signers, err := ledger.OpenWeekClose(note, con, emp)
	if err != nil {
		return ledger.WeekClose{}, classify(fileClose, err)
	}
	if len(signers) != 2 || signers[0].Name != con.Name {
		return ledger.WeekClose{}, fmt.Errorf("%s: %w: it carries %d of the 2 signatures", fileClose, ErrNotCosigned, len(signers))
	}
	return w, nil
}

// closeFits checks the close is of this week and bound the acceptance
// used: another acceptance of the same offer, signed again with an
// earlier start, does not fit.
func closeFits(w ledger.WeekClose, acceptance []byte, week Week) error {
	if w.Week != week.Start.Unix() {
		return fmt.Errorf("%s: %w: it closes the week of %s, the timesheet is of %s (%s)", fileClose, ErrNotTheWeek,
			rfc3339(timeOf(w.Week)), week, rfc3339(week.Start))
	}
	if sha256.Sum256(acceptance) != w.Acceptance {
		return fmt.Errorf("%s: %w: both parties closed the week with acceptance %x…, this one is %x…", fileAcceptance,
			ErrNotTheAcceptance, w.Acceptance[:6], sha256Prefix(acceptance))
	}
	return nil
}

// weekOfLog takes the week's entries and their proofs out of the whole
// log up to the close. It verifies no signature and decodes no entry
// whole here: the entries must give the close's root, and VerifyWeek then
// checks every entry taken (signature, place in the closed tree) and that
// they are exactly the ones the close counts, which both parties signed.
// So a year's log costs its hashing and a read of each entry's kind and
// start, not 2,600 signature checks or decodes, and nothing unverified
// counts.
func weekOfLog(w ledger.WeekClose, week Week, all [][]byte) ([][]byte, [][][32]byte, error) {
	if uint64(len(all)) != w.Size {
		return nil, nil, fmt.Errorf("%w: the close is at size %d, %d entries were given", ErrBadInput, w.Size, len(all))
	}
	if err := ledger.CheckCheckpoint(w.Checkpoint, w.LogID, all); err != nil {
		return nil, nil, fmt.Errorf("%s: %w: %w", fileClose, ErrTampered, err)
	}
	// Of each entry only its kind and start, to take the week's: VerifyWeek
	// then reads each one taken whole, and a wrong pick fails the close.
	log, err := ledger.ReadStoredLog(w.LogID, all)
	if err != nil {
		return nil, nil, classify("entries", err)
	}
	return log.WeekOf(week.Start.Unix(), week.End.Unix())
}

// weekError names what a closed week's entries got wrong.
func weekError(err error) error {
	switch {
	case errors.Is(err, ErrNotTheWeek):
		return fmt.Errorf("entries: %w", err)
	case errors.Is(err, ledger.ErrNotIncluded):
		return fmt.Errorf("entries: %w: %w", ErrNotTheWeek, err)
	}
	return classify("entries", err)
}

func sha256Prefix(b []byte) []byte {
	s := sha256.Sum256(b)
	return s[:6]
}

func timeOf(unix int64) time.Time { return time.Unix(unix, 0).UTC() }
