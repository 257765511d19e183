//go:build e2e && linux

package e2e

import (
	"context"
	"crypto/sha256"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/cose"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// Two parties who never connect (no network started, WORKDIARY_LOCAL_ONLY
// set, no sync) close a week and see the employer's pause and dispute
// only through files: the contractor's log file carries its closes, the
// employer's import cosigns them, the employer's reply carries them back
// with the receipt, the pause and the dispute, and the contractor's next
// log file binds those for the employer. Crafted variants of both files,
// made with the parties' real keys, are each refused for their reason and
// store nothing; the closed week's timesheet exports byte-identical twice
// and verifies.
func TestFilesOnlyCloseAWeek(t *testing.T) {
	t.Setenv("WORKDIARY_LOCAL_ONLY", "1")
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	year, wk := time.Now().UTC().AddDate(0, 0, -21).ISOWeek()
	monday := isoMonday(year, wk)
	week := fmt.Sprintf("%04d-W%02d", year, wk)
	clk := clocktest.New(monday.Add(9 * time.Hour))
	emp, con := offlineNode(t, clk, "Employer"), offlineNode(t, clk, "Contractor")
	offer, err := emp.OfferContract(node.OfferParams{Title: "By hand", Rate: "50.00", Currency: "EUR", Screenshots: 1, ManualTime: true})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := con.AcceptContract(ctx, node.AcceptParams{Code: offer.Invite, Offline: true})
	if err != nil || acc.Delivered {
		t.Fatalf("accept offline: %+v %v", acc, err)
	}
	cid := acc.Contract.ID
	manual := func(from time.Time, minutes int, memo string) {
		t.Helper()
		if _, err := con.AddManual(node.ManualParams{Contract: cid, From: from, To: from.Add(time.Duration(minutes) * time.Minute), Memo: memo}); err != nil {
			t.Fatal(err)
		}
		if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
			t.Fatal(err)
		}
	}
	dir := t.TempDir()
	export := func(n *node.Node, name string) string {
		t.Helper()
		file := filepath.Join(dir, name)
		if _, err := n.ExportLogFile(node.LogFileParams{Contract: cid, File: file}); err != nil {
			t.Fatalf("export %s: %v", name, err)
		}
		return file
	}
	apply := func(n *node.Node, file string) node.LogFileResult {
		t.Helper()
		res, err := n.ImportLogFile(node.LogFileParams{File: file})
		if err != nil {
			t.Fatalf("import %s: %v", filepath.Base(file), err)
		}
		return res
	}
	clk.Advance(48 * time.Hour) // Wednesday
	manual(monday.Add(9*time.Hour), 30, "Monday's work")
	manual(monday.Add(33*time.Hour), 20, "Tuesday's work")
	apply(emp, export(con, "log1.wdlog"))
	// Tuesday of the next week, past the week's deadline; time of the new week.
	clk.Advance(monday.AddDate(0, 0, 8).Add(2 * time.Hour).Sub(clk.Now()))
	manual(monday.AddDate(0, 0, 7).Add(10*time.Hour), 10, "the next week")
	log2 := export(con, "log2.wdlog")

	me, _ := con.Identity()
	boss, _ := emp.Identity()
	c, _ := con.Contracts().Resolve(cid)
	logID := ledger.LogIDOf([32]byte(c.ID()), me.PublicKey())
	log := storedLog(t, con, logID)
	honest := readMembers(t, log2)
	first, err := ledger.PeekWeekClose(memberData(honest, "closes/0001.note"))
	if err != nil {
		t.Fatalf("the log file's first close: %v", err)
	}
	signClose := func(w ledger.WeekClose, by *identity.Identity) []byte {
		t.Helper()
		note, err := ledger.SignWeekClose(by.PrivateKey(), by.PeerID().String(), w)
		if err != nil {
			t.Fatal(err)
		}
		return note
	}
	other := first
	other.LogID = sha256.Sum256([]byte("another contract's log"))
	stale := first
	all := make([][]byte, len(log))
	for i, s := range log {
		all[i] = s.Bytes
	}
	stale.Checkpoint = ledger.CheckpointFor(logID, all[:len(all)-1])
	forged := strings.Replace(string(memberData(honest, "closes/0001.note")), fmt.Sprintf("week %d", first.Week), fmt.Sprintf("week %d", first.Week+604800), 1)
	logCases := []craftedFile{
		{"a forged close (its week changed after signing)", "week close 1", replaceMember(honest, "closes/0001.note", []byte(forged))},
		{"a close of another contract's log", "is for another log", replaceMember(honest, "closes/0001.note", signClose(other, me))},
		{"a close signed by the employer, not the contractor", "is signed only by " + boss.PeerID().String(), replaceMember(honest, "closes/0001.note", signClose(first, boss))},
		{"a stale close, at an earlier size", "stale, the file's checkpoint has size", replaceMember(honest, "closes/0001.note", signClose(stale, me))},
		{"a close twice under two names", "the week is closed twice in the file", appendClose(honest, memberData(honest, "closes/0001.note"))},
		{"a close member twice", "a file name appears twice in the archive: closes/0001.note", append(copyMembers(honest), member{name: "closes/0001.note", data: memberData(honest, "closes/0001.note")})},
		{"an oversized close", "closes/0001.note unpacks to 8193 bytes, at most 8192", replaceMember(honest, "closes/0001.note", make([]byte, 8<<10+1))},
		{"a numbering gap", "closes/0001.note is missing", renameMember(honest, "closes/0001.note", "closes/0009.note")},
		{"a newer format", "written by a newer Workdiary", replaceMember(honest, "format", []byte("workdiary-log 9\n"))},
	}
	refuseAll(t, "log file", emp, logCases, func() string { return employerState(t, emp, cid) })

	res := apply(emp, log2)
	// The week before closed with the first file (at its size); the
	// contractor signs it again until the reply brings that close back,
	// and the employer keeps the first.
	if res.Closes != 1 || res.ClosesLeft != 1 || res.Entries != len(log) {
		t.Fatalf("the honest log file: %+v; want the week closed, the week before kept as it was, and %d entries", res, len(log))
	}
	if _, err := emp.DisputeTime(node.DisputeParams{Contract: cid, From: monday.Add(9 * time.Hour), To: monday.Add(9*time.Hour + 30*time.Minute), Reason: "not our project"}); err != nil {
		t.Fatal(err)
	}
	if _, err := emp.PauseContract(node.HoldParams{Contract: cid, Reason: "budget review"}); err != nil {
		t.Fatal(err)
	}
	reply := export(emp, "reply.wdlog")
	res = apply(con, reply)
	if res.Kind != "reply" || res.Closes != len(readMembersIn(t, reply, "closes/")) || res.Changes["dispute"] != 1 || res.Changes["pause"] != 1 {
		t.Fatalf("the reply: %+v; want its closes kept, the dispute and the pause bound", res)
	}
	st, err := con.LogStatus(cid)
	if err != nil || !slices.ContainsFunc(st.Closed, func(w node.ClosedWeek) bool { return w.Week == week }) || st.ReceiptSize != uint64(len(log)) {
		t.Fatalf("the contractor after the reply: %+v %v; want %s closed and a receipt of %d entries", st, err, week, len(log))
	}
	if c, _ := con.Contracts().Resolve(cid); c.Life == nil || len(c.Life.Disputes) != 1 {
		t.Fatalf("the contractor does not see the dispute")
	}

	// Crafted replies, each with the employer's real key where it signs.
	replyMs := readMembers(t, reply)
	cosigned := memberData(replyMs, "closes/0001.note")
	w, err := ledger.PeekWeekClose(cosigned)
	if err != nil {
		t.Fatal(err)
	}
	half, err := ledger.FirstSigned(cosigned)
	if err != nil {
		t.Fatal(err)
	}
	otherW, staleW := w, w
	otherW.LogID = other.LogID
	staleW.Checkpoint = ledger.CheckpointFor(logID, all[:w.Size-1])
	forgedReply := strings.Replace(string(cosigned), fmt.Sprintf("week %d", w.Week), fmt.Sprintf("week %d", w.Week+604800), 1)
	replyCases := []craftedFile{
		{"a forged cosigned close", "the close sent does not open", replaceMember(replyMs, "closes/0001.note", []byte(forgedReply))},
		{"a cosigned close of another contract's log", "is of another contract's log", replaceMember(replyMs, "closes/0001.note", bothSign(t, me, boss, otherW))},
		{"a half-signed close", "the employer's cosignature is missing", replaceMember(replyMs, "closes/0001.note", half)},
		{"a stale close both signed, of a week closed at another size", "already closed at another size", replaceMember(replyMs, "closes/0001.note", bothSign(t, me, boss, staleW))},
		{"a raise signed by the contractor's key", "does not bind this change", recordsOnly(replyMs, contractorSignedAmendment(t, me, c.Offer, clk.Now()))},
		{"a record twice", "repeats", appendRecord(replyMs, memberData(replyMs, "records/0001.cose"))},
		{"the receipt twice", "a file name appears twice in the archive: receipt.note", append(copyMembers(replyMs), member{name: "receipt.note", data: memberData(replyMs, "receipt.note")})},
		{"an oversized record", "records/0001.cose unpacks to", replaceMember(replyMs, "records/0001.cose", make([]byte, ledger.MaxRecordBytes+1))},
		{"an unknown member", `unexpected file "notes.txt"`, append(copyMembers(replyMs), member{name: "notes.txt", data: []byte("hi")})},
		{"refusals of entries the receipt does not cover", "the receipt cosigns", append(copyMembers(replyMs), member{name: "refusals.cbor", data: refusalsOf(t, uint64(len(log)+1))})},
	}
	refuseAll(t, "reply", con, replyCases, func() string { return contractorState(t, con, cid) })

	// The contractor's next file binds the pause and the dispute for the employer.
	res = apply(emp, export(con, "log3.wdlog"))
	if res.Changes["dispute"] != 1 || res.Changes["pause"] != 1 {
		t.Fatalf("the log file after the reply: %+v; want the dispute and the pause bound on the employer's side", res)
	}
	sheet := func(n *node.Node) (string, []byte, node.TimesheetResult) {
		t.Helper()
		r, err := n.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: week, Out: t.TempDir()})
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(r.Files.Zip)
		if err != nil {
			t.Fatal(err)
		}
		return r.Files.Zip, b, r
	}
	for _, n := range []*node.Node{emp, con} {
		zip1, b1, r1 := sheet(n)
		_, b2, _ := sheet(n)
		if !slices.Equal(b1, b2) {
			t.Fatalf("%s: the closed week's timesheet differs between two exports", n.Home)
		}
		mustMention(t, "verify of the week closed by files", cli(t, t.TempDir(), "verify", zip1), "valid", "week closed by both parties")
		if n == emp { // the checks of a bundle whose timesheet the employer signed
			independentChecks(t, zip1, r1.Files)
		}
	}
}

// offlineNode is a node on a new data folder that never starts its
// network.
func offlineNode(t *testing.T, clk *clocktest.Fake, name string) *node.Node {
	t.Helper()
	n, err := node.Open(t.TempDir(), "test", clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if _, err := n.CreateIdentity(name); err != nil {
		t.Fatal(err)
	}
	return n
}

// craftedFile is a file made of members, whose import is refused saying
// want.
type craftedFile struct {
	name, want string
	members    []member
}

// refuseAll imports each crafted file into n and wants it refused for its
// reason, with state (what an import could change) as it was.
func refuseAll(t *testing.T, kind string, n *node.Node, files []craftedFile, state func() string) {
	before := state()
	for _, f := range files {
		t.Run(kind+"/"+f.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.wdlog")
			writeMembers(t, bad, f.members)
			_, err := n.ImportLogFile(node.LogFileParams{File: bad})
			if err == nil || !strings.Contains(err.Error(), f.want) {
				t.Fatalf("import: %v; want it refused saying %q", err, f.want)
			}
			t.Logf("refused: %v", err)
			if after := state(); after != before {
				t.Fatalf("a refused %s changed what its importer holds: %s, was %s", kind, after, before)
			}
		})
	}
}

// employerState is what an import could change on the employer's side.
func employerState(t *testing.T, n *node.Node, cid string) string {
	t.Helper()
	st, err := n.LogStatus(cid)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("seq %d head %s closed %v receipts %d", st.Seq, st.Head, st.Closed, st.Receipts)
}

// contractorState is what a reply could change on the contractor's side.
func contractorState(t *testing.T, n *node.Node, cid string) string {
	t.Helper()
	st, err := n.LogStatus(cid)
	if err != nil {
		t.Fatal(err)
	}
	c, err := n.Contracts().Resolve(cid)
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("%s; seq %d closed %v receipts %d newest %d; %d amendments, %d refused", employerState(t, n, cid),
		st.Seq, st.Closed, st.Receipts, st.ReceiptSize, len(c.Life.Amendments), len(st.Refused))
}

func renameMember(ms []member, from, to string) []member {
	out := copyMembers(ms)
	for i := range out {
		if out[i].name == from {
			out[i].name = to
		}
	}
	return out
}

func readMembersIn(t *testing.T, file, dir string) []member {
	var out []member
	for _, m := range readMembers(t, file) {
		if strings.HasPrefix(m.name, dir) {
			out = append(out, m)
		}
	}
	return out
}

// appendRecord adds a record after the reply's last.
func appendRecord(ms []member, rec []byte) []member {
	return appendNumbered(ms, "records/%04d.cose", rec)
}

// appendClose adds a close after the file's last.
func appendClose(ms []member, note []byte) []member {
	return appendNumbered(ms, "closes/%04d.note", note)
}

func appendNumbered(ms []member, form string, data []byte) []member {
	n := 0
	for _, m := range ms {
		if strings.HasPrefix(m.name, strings.Split(form, "%")[0]) {
			n++
		}
	}
	return append(copyMembers(ms), member{name: fmt.Sprintf(form, n+1), data: data})
}

// recordsOnly is the reply with rec as its only record.
func recordsOnly(ms []member, rec []byte) []member {
	var out []member
	for _, m := range ms {
		if !strings.HasPrefix(m.name, "records/") {
			out = append(out, m)
		}
	}
	return append(out, member{name: "records/0001.cose", data: rec})
}

// refusalsOf is a refusals member that refuses entry seq.
func refusalsOf(t *testing.T, seq uint64) []byte {
	t.Helper()
	b, err := cose.Marshal([]syncp2p.Refusal{{Seq: seq, Reason: "made up"}})
	if err != nil {
		t.Fatal(err)
	}
	return b
}
