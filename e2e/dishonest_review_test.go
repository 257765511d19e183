//go:build e2e && linux

package e2e

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/node"
)

// A closed week's review window, and the dishonest party's attempts to
// change what it shows: the employer disputes a segment after the close,
// the contractor answers, both over the sync, and the week's bundle then
// carries the dispute and the answer, proven against a later checkpoint
// both signed. Bundles crafted from it with the parties' real keys (the
// dispute dropped, the review dropped, a broken proof, a dispute outside
// the review window, one of another week, an answer the employer signed,
// the later checkpoint not cosigned, a consistency proof that does not
// lead from the close) are each refused by the built `workdiary verify`
// with their reason; the honest bundle verifies, its .cose files with the
// COSE check written here and its .zip.sig with ssh-keygen.
func TestDishonestReviewedWeek(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cw := closeAWeek(t, ctx)
	emp, con, cid, monday := cw.emp, cw.con, cw.cid, cw.monday
	if _, err := emp.DisputeTime(node.DisputeParams{Contract: cid, From: monday.Add(9 * time.Hour), To: monday.Add(9*time.Hour + 10*time.Minute),
		Reason: "Not this project"}); err != nil {
		t.Fatalf("dispute: %v", err)
	}
	cw.approveSync()
	weeks, err := con.ContractWeeks(node.WeeksParams{Contract: cid})
	if err != nil || len(weeks) < 2 || len(weeks[1].Disputes) != 1 {
		t.Fatalf("the contractor's weeks: %+v %v; want the dispute bound", weeks, err)
	}
	if _, err := con.AnswerDispute(node.AnswerParams{Contract: cid, Dispute: weeks[1].Disputes[0].ID, Text: "It was the release"}); err != nil {
		t.Fatalf("answer: %v", err)
	}
	cw.approveSync()
	cw.approveSync()
	res, err := emp.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: cw.week, Out: t.TempDir()})
	if err != nil {
		t.Fatal(err)
	}
	honest := res.Files.Zip
	mustMention(t, "verify of the reviewed week", cli(t, t.TempDir(), "verify", honest), "valid",
		"week closed by both parties at log size 6", "disputed, not billed: 0:10", "Not this project", "It was the release",
		"disputes and answers bound after the close: proven up to log size")
	independentChecks(t, honest, res.Files)

	c, _ := emp.Contracts().Resolve(cid)
	me, _ := con.Identity()
	boss, _ := emp.Identity()
	logID := ledger.LogIDOf(c.ID(), me.PublicKey())
	log := storedLog(t, con, logID)
	members := readMembers(t, honest)
	var reviewed []ledger.Signed // the honest dispute and answer, as the bundle names them
	for _, m := range members {
		var seq int
		if _, err := fmt.Sscanf(m.name, "review/%06d.cose", &seq); err == nil {
			reviewed = append(reviewed, log[seq-1])
		}
	}
	if len(reviewed) != 2 {
		t.Fatalf("the bundle carries %d records after the close, want the dispute and the answer", len(reviewed))
	}
	dispute, err := contract.DecodeDispute(reviewed[0].Entry.Record)
	if err != nil {
		t.Fatal(err)
	}
	from, until := c.Offer.ReviewWindow(monday)
	// bindLater: the contractor binds rec next in its log, both sign the
	// checkpoint of the log with it, and the bundle's review is rebuilt
	// with the honest records and it, each proven against that checkpoint.
	bindLater := func(rec []byte, at time.Time) []member {
		t.Helper()
		s := nextEntry(t, con, me, c, logID, ledger.BindRecord(rec, at.Unix()))
		full := append(slices.Clone(log), s)
		raw, leaves := make([][]byte, len(full)), make([][32]byte, len(full))
		for i, e := range full {
			raw[i], leaves[i] = e.Bytes, ledger.LeafHash(e.Bytes)
		}
		note, err := ledger.SignCheckpoint(me.PrivateKey(), me.PeerID().String(), ledger.CheckpointFor(logID, raw))
		if err == nil {
			note, err = ledger.Cosign(note, boss.PrivateKey(), boss.PeerID().String())
		}
		must(t, err)
		cons, err := ledger.ConsistencyProof(leaves, 6)
		must(t, err)
		later := append(slices.Clone(reviewed), s)
		proofs, err := ledger.WeekProofs(full, uint64(len(full)), later)
		must(t, err)
		out := slices.DeleteFunc(copyMembers(members), func(m member) bool { return strings.HasPrefix(m.name, "review/") })
		out = append(out, member{name: "review/checkpoint.note", data: note}, member{name: "review/consistency.proof", data: proofOf(cons)})
		for i, e := range later {
			out = append(out, member{name: reviewFile(e.Entry.Seq, "cose"), data: e.Bytes}, member{name: reviewFile(e.Entry.Seq, "proof"), data: proofOf(proofs[i])})
		}
		return out
	}
	tooLate, err := contract.NewDispute(c.Offer, boss, []time.Time{monday.Add(9*time.Hour + 10*time.Minute)}, "Too late", until.Add(time.Hour))
	must(t, err)
	nextWeek, err := contract.NewDispute(c.Offer, boss, []time.Time{monday.AddDate(0, 0, 7).Add(10 * time.Hour)}, "Next week's", from.Add(time.Hour))
	must(t, err)
	forged, err := contract.NewAnswer(dispute, boss, "Agreed, it was not", from.Add(time.Hour))
	must(t, err)
	note := memberData(members, "review/checkpoint.note")
	contractorOnly := note[:bytes.LastIndex(note[:len(note)-1], []byte("\n"))+1]
	dSeq, aSeq := reviewed[0].Entry.Seq, reviewed[1].Entry.Seq
	cases := []crafted{
		{"the dispute dropped, its answer kept", "no such dispute in the log",
			dropMember(dropMember(members, reviewFile(dSeq, "cose")), reviewFile(dSeq, "proof"))},
		{"the review dropped under a timesheet that shows it", "timesheet does not match its entries",
			slices.DeleteFunc(copyMembers(members), func(m member) bool { return strings.HasPrefix(m.name, "review/") })},
		{"the dispute's inclusion proof swapped with the answer's", "does not lead to root",
			replaceMember(members, reviewFile(dSeq, "proof"), memberData(members, reviewFile(aSeq, "proof")))},
		{"the dispute's inclusion proof from the closed tree", "does not lead to root",
			replaceMember(members, reviewFile(dSeq, "proof"), memberData(members, proofFile(1)))},
		{"a dispute outside the review window", "may be disputed from", bindLater(tooLate.Signed(), until.Add(time.Hour))},
		{"a dispute of another week", "it is about the week of", bindLater(nextWeek.Signed(), from.Add(time.Hour))},
		{"an answer the employer signed", "only the contractor answers", bindLater(forged.Signed(), from.Add(time.Hour))},
		{"the later checkpoint without the employer's signature", "1 of the 2 signatures",
			replaceMember(members, "review/checkpoint.note", contractorOnly)},
		{"a consistency proof that does not lead from the close", "does not extend the close",
			replaceMember(members, "review/consistency.proof", memberData(members, reviewFile(dSeq, "proof")))},
	}
	refuseEach(t, cases)
	mustMention(t, "verify of the honest bundle after all", cli(t, t.TempDir(), "verify", honest), "valid")
}

func reviewFile(seq uint64, ext string) string { return fmt.Sprintf("review/%06d.%s", seq, ext) }
