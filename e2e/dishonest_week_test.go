//go:build e2e && linux

package e2e

import (
	"context"
	"crypto/ed25519"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/fxamacker/cbor/v2"
	"golang.org/x/crypto/ssh"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/timesheet"
)

// A closed week, and the dishonest party's attempts to change it: two
// nodes (in this process, on loopback, with a clock of the test's) close a
// week over the sync; the contractor's node refuses a late entry for it;
// then bundles of the week crafted with the parties' real keys (a late
// entry signed after the close, an entry dropped, another week's entry
// with its real proof, a stale close both parties signed, the close
// without the employer's signature, renamed parties in a re-signed
// timesheet, an acceptance signed again with an earlier start) are each
// refused by the built `workdiary verify` with their reason, while the
// honest bundle verifies, its .cose files with a COSE check written here
// from RFC 9052 and its .zip.sig with ssh-keygen.
func TestDishonestClosedWeek(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cw := closeAWeek(t, ctx)
	emp, con, cid, monday, week := cw.emp, cw.con, cw.cid, cw.monday, cw.week
	err := cw.manual(monday.Add(50*time.Hour), 10, "forgotten")
	if err == nil || !strings.Contains(err.Error(), "which both parties closed at entry 6: a correction goes in the current week") {
		t.Fatalf("late manual time for the closed week: %v, want it refused by the contractor's node", err)
	}
	out := t.TempDir()
	res, err := emp.ExportTimesheet(node.TimesheetParams{Contract: cid, Week: week, Out: out})
	if err != nil {
		t.Fatal(err)
	}
	honest := res.Files.Zip
	mustMention(t, "verify of the closed week", cli(t, t.TempDir(), "verify", honest), "valid", "week closed by both parties at log size 6 (5 entries of the week")
	independentChecks(t, honest, res.Files)

	c, _ := emp.Contracts().Resolve(cid)
	me, _ := con.Identity()
	boss, _ := emp.Identity()
	logID := ledger.LogIDOf([32]byte(c.ID()), me.PublicKey())
	log := storedLog(t, con, logID)
	members := readMembers(t, honest)
	nextWeek := log[5]
	nextProof, err := ledger.WeekProofs(log, 6, []ledger.Signed{nextWeek})
	if err != nil {
		t.Fatal(err)
	}
	late := lateEntry(t, con, me, c, logID, monday.Add(50*time.Hour))
	earlier, err := contract.Accept(c.Offer, me, nil, c.Acceptance.AcceptedAt.AddDate(0, 0, -3))
	if err != nil {
		t.Fatal(err)
	}
	stale := bothSign(t, me, boss, ledger.NewWeekClose(logID, log[:5], monday.Unix(), monday.AddDate(0, 0, 7).Unix(), c.Acceptance.Signed()))
	closeNote := memberData(members, "close.note")
	contractorOnly := closeNote[:strings.Index(string(closeNote), "\n— ")+1]
	contractorOnly = append(contractorOnly, strings.SplitAfter(string(closeNote), "\n")[7]...)
	renamed := renamedTimesheet(t, members, boss)
	cases := []crafted{
		{"a late entry signed after the close", "after the close at size 6",
			append(copyMembers(members), member{name: entryFile(late.Entry.Seq), data: late.Bytes},
				member{name: proofFile(late.Entry.Seq), data: proofOf(nextProof[0])})},
		{"an entry dropped", "the close counts 5 entries of the week", dropMember(dropMember(members, entryFile(1)), proofFile(1))},
		{"another week's entry with its real proof", "is not in the week",
			append(copyMembers(members), member{name: entryFile(6), data: nextWeek.Bytes}, member{name: proofFile(6), data: proofOf(nextProof[0])})},
		{"a stale close, signed by both at size 5", "does not lead to root", replaceMember(members, "close.note", stale)},
		{"the close without the employer's signature", "1 of the 2 signatures", replaceMember(members, "close.note", contractorOnly)},
		{"the employer renamed in a re-signed timesheet", `employer is {"name":"Somebody Else"`, renamed},
		{"the acceptance signed again, three days earlier", "both parties closed the week with acceptance",
			replaceMember(members, "acceptance.cose", earlier.Signed())},
	}
	refuseEach(t, cases)
	mustMention(t, "verify of the honest bundle after all", cli(t, t.TempDir(), "verify", honest), "valid")
}

// closedWeek is a week both parties closed over the sync: the employer's
// and the contractor's nodes (in this process, on loopback, with a clock
// of the test's), the contract, and the week (three weeks ago: Monday's
// 30 and Tuesday's 20 minutes), closed at log size 6 with the next week's
// 10 minutes after it.
type closedWeek struct {
	emp, con    *node.Node
	clk         *clocktest.Fake
	cid, week   string
	monday      time.Time
	manual      func(from time.Time, minutes int, memo string) error
	approveSync func()
}

func closeAWeek(t *testing.T, ctx context.Context) closedWeek {
	t.Helper()
	year, wk := time.Now().UTC().AddDate(0, 0, -21).ISOWeek()
	cw := closedWeek{monday: isoMonday(year, wk), week: fmt.Sprintf("%04d-W%02d", year, wk)}
	cw.clk = clocktest.New(cw.monday.Add(9 * time.Hour))
	cw.emp, cw.con = inProcessNode(t, ctx, cw.clk, "Employer"), inProcessNode(t, ctx, cw.clk, "Contractor")
	offer, err := cw.emp.OfferContract(node.OfferParams{Title: "Closed week", Rate: "50.00", Currency: "EUR", Screenshots: 1, ManualTime: true})
	if err != nil {
		t.Fatal(err)
	}
	acc, err := cw.con.AcceptContract(ctx, node.AcceptParams{Code: offer.Invite})
	if err != nil || !acc.Delivered {
		t.Fatalf("accept: %+v %v", acc, err)
	}
	cw.cid = acc.Contract.ID
	cw.manual = func(from time.Time, minutes int, memo string) error {
		_, err := cw.con.AddManual(node.ManualParams{Contract: cw.cid, From: from, To: from.Add(time.Duration(minutes) * time.Minute), Memo: memo})
		return err
	}
	cw.approveSync = func() {
		t.Helper()
		if _, err := cw.con.Approve(node.ApproveParams{Contract: cw.cid, All: true}); err != nil {
			t.Fatal(err)
		}
		if res, err := cw.con.Sync(ctx, node.SyncParams{}, nil); err != nil || res[0].Error != "" {
			t.Fatalf("sync: %+v %v", res, err)
		}
	}
	cw.clk.Advance(48 * time.Hour) // Wednesday
	must(t, cw.manual(cw.monday.Add(9*time.Hour), 30, "Monday's work"))
	must(t, cw.manual(cw.monday.Add(33*time.Hour), 20, "Tuesday's work"))
	cw.approveSync()
	// The next week: time of its own, and past the deadline (Tuesday 00:00) of the week.
	cw.clk.Advance(cw.monday.AddDate(0, 0, 8).Add(2 * time.Hour).Sub(cw.clk.Now()))
	must(t, cw.manual(cw.monday.AddDate(0, 0, 7).Add(10*time.Hour), 10, "the next week"))
	cw.approveSync()
	return cw
}

// crafted is a bundle made with a party's real keys that verify must
// refuse, saying want.
type crafted struct {
	name, want string
	members    []member
}

// refuseEach writes each crafted bundle and checks the built `workdiary
// verify` refuses it with its reason.
func refuseEach(t *testing.T, cases []crafted) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.zip")
			writeMembers(t, bad, tc.members)
			out, err := tryCLI(t, t.TempDir(), "verify", bad)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("verify: %v %s; want it refused saying %q", err, out, tc.want)
			}
			t.Logf("refused: %v", err)
		})
	}
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// inProcessNode is a node on a new data folder, on loopback only.
func inProcessNode(t *testing.T, ctx context.Context, clk *clocktest.Fake, name string) *node.Node {
	t.Helper()
	n := offlineNode(t, clk, name)
	if err := n.StartNetwork(ctx, node.NetOptions{Listen: []string{"/ip4/127.0.0.1/tcp/0"}}); err != nil {
		t.Fatal(err)
	}
	return n
}

func isoMonday(year, week int) time.Time {
	jan4 := time.Date(year, time.January, 4, 0, 0, 0, 0, time.UTC)
	return jan4.AddDate(0, 0, -((int(jan4.Weekday())+6)%7)+7*(week-1))
}

func storedLog(t *testing.T, n *node.Node, logID [32]byte) []ledger.Signed {
	t.Helper()
	var raw [][]byte
	err := n.Store().View(func(x *store.Txn) error {
		h, err := logdb.Head(x, logID)
		if err == nil {
			raw, err = logdb.Entries(x, logID, 1, h.Seq)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	log := make([]ledger.Signed, len(raw))
	for i, b := range raw {
		s, err := ledger.OpenEntry(b)
		if err != nil {
			t.Fatal(err)
		}
		log[i] = s
	}
	return log
}

// lateEntry is what a dishonest contractor signs with its real key after
// the close: manual time for the closed week, approved (it claims) before
// the deadline, next in its log.
func lateEntry(t *testing.T, n *node.Node, me *identity.Identity, c *contract.Contract, logID [32]byte, start time.Time) ledger.Signed {
	t.Helper()
	return nextEntry(t, n, me, c, logID, ledger.Entry{Start: start.Unix(), Kind: ledger.KindManual, Memo: "backdated", ApprovedAt: start.Unix() + 3600})
}

// nextEntry signs e with the contractor's real key as the next entry of
// its log, without storing it.
func nextEntry(t *testing.T, n *node.Node, me *identity.Identity, c *contract.Contract, logID [32]byte, e ledger.Entry) ledger.Signed {
	t.Helper()
	var s ledger.Signed
	err := n.Store().View(func(x *store.Txn) error {
		h, err := logdb.Head(x, logID)
		if err != nil {
			return err
		}
		l, err := ledger.NewLog(me.PrivateKey(), [32]byte(c.ID()), h, logdb.NewHistory(x, logID))
		if err != nil {
			return err
		}
		s, err = l.Append(e)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func bothSign(t *testing.T, con, emp *identity.Identity, w ledger.WeekClose) []byte {
	t.Helper()
	note, err := ledger.SignWeekClose(con.PrivateKey(), con.PeerID().String(), w)
	if err == nil {
		note, err = ledger.Cosign(note, emp.PrivateKey(), emp.PeerID().String())
	}
	if err != nil {
		t.Fatal(err)
	}
	return note
}

// renamedTimesheet renames the employer in timesheet.json and signs it
// again with the employer's real key.
func renamedTimesheet(t *testing.T, members []member, emp *identity.Identity) []member {
	t.Helper()
	ts, err := timesheet.Decode(memberData(members, "timesheet.json"))
	if err != nil {
		t.Fatal(err)
	}
	ts.Employer.Name = "Somebody Else"
	_, doc, sig, err := timesheet.Sign(ts, emp.PrivateKey())
	if err != nil {
		t.Fatal(err)
	}
	return replaceMember(replaceMember(members, "timesheet.json", doc), "timesheet.cose", sig)
}

func entryFile(seq uint64) string { return fmt.Sprintf("entries/%06d.cose", seq) }
func proofFile(seq uint64) string { return fmt.Sprintf("entries/%06d.proof", seq) }

func proofOf(p [][32]byte) []byte {
	var out []byte
	for _, h := range p {
		out = append(out, h[:]...)
	}
	return out
}

func memberData(ms []member, name string) []byte {
	for _, m := range ms {
		if m.name == name {
			return m.data
		}
	}
	return nil
}

func copyMembers(ms []member) []member { return append([]member(nil), ms...) }

func replaceMember(ms []member, name string, data []byte) []member {
	out := copyMembers(ms)
	for i := range out {
		if out[i].name == name {
			out[i].data = data
		}
	}
	return out
}

func dropMember(ms []member, name string) []member {
	var out []member
	for _, m := range ms {
		if m.name != name {
			out = append(out, m)
		}
	}
	return out
}

// independentChecks verify the closed week's bundle without Workdiary's
// code: each .cose with a COSE_Sign1 check written from RFC 9052 (CBOR by
// fxamacker/cbor, Ed25519 by the standard library) under the key of the
// party that signs it, and the .zip.sig with ssh-keygen -Y verify.
func independentChecks(t *testing.T, zipPath string, f timesheetFiles) {
	t.Helper()
	ms := readMembers(t, zipPath)
	keys := map[string]string{}
	for _, m := range ms {
		if strings.HasPrefix(m.name, "keys/") {
			keys[m.name] = string(m.data)
		}
	}
	employer, contractor := sshKey(t, keys["keys/employer.pub"]), sshKey(t, keys["keys/contractor.pub"])
	checked := 0
	for _, m := range ms {
		if !strings.HasSuffix(m.name, ".cose") {
			continue
		}
		want := contractor
		if m.name == "offer.cose" || m.name == "timesheet.cose" {
			want = employer
		}
		if err := coseVerify(m.data, want); err != nil {
			t.Errorf("%s: %v", m.name, err)
		}
		checked++
	}
	if checked < 5 {
		t.Errorf("checked %d .cose files, want the offer, acceptance, timesheet and the week's entries", checked)
	}
	dir := filepath.Dir(zipPath)
	cmd := exec.Command("ssh-keygen", "-Y", "verify", "-f", "allowed_signers", "-I", f.Principal, "-n", "workdiary-timesheet",
		"-s", filepath.Base(f.Sig))
	cmd.Dir = dir
	zf, err := os.Open(zipPath)
	if err != nil {
		t.Fatal(err)
	}
	defer zf.Close()
	cmd.Stdin = zf
	if out, err := cmd.CombinedOutput(); err != nil || !strings.Contains(string(out), "Good \"workdiary-timesheet\" signature") {
		t.Errorf("ssh-keygen -Y verify of the closed week's bundle: %v\n%s", err, out)
	}
}

type timesheetFiles = timesheet.Files

func sshKey(t *testing.T, line string) ed25519.PublicKey {
	t.Helper()
	k, _, _, _, err := ssh.ParseAuthorizedKey([]byte(line))
	if err != nil {
		t.Fatalf("key file %q: %v", line, err)
	}
	return k.(ssh.CryptoPublicKey).CryptoPublicKey().(ed25519.PublicKey)
}

// coseVerify checks a COSE_Sign1 (RFC 9052 §4.2, tag 18) whose protected
// header names alg EdDSA (-8) and the signer's key as kid (4).
func coseVerify(msg []byte, want ed25519.PublicKey) error {
	var tag cbor.Tag
	if err := cbor.Unmarshal(msg, &tag); err != nil || tag.Number != 18 {
		return fmt.Errorf("not a tagged COSE_Sign1: %v", err)
	}
	var parts []cbor.RawMessage
	raw, _ := cbor.Marshal(tag.Content)
	if err := cbor.Unmarshal(raw, &parts); err != nil || len(parts) != 4 {
		return fmt.Errorf("COSE_Sign1 is not an array of 4: %v", err)
	}
	var protected, payload, sig []byte
	if err := cbor.Unmarshal(parts[0], &protected); err != nil {
		return err
	}
	if err := cbor.Unmarshal(parts[2], &payload); err != nil {
		return err
	}
	if err := cbor.Unmarshal(parts[3], &sig); err != nil {
		return err
	}
	var hdr map[int]any
	if err := cbor.Unmarshal(protected, &hdr); err != nil {
		return err
	}
	kid, _ := hdr[4].([]byte)
	if alg, _ := hdr[1].(int64); alg != -8 || !ed25519.PublicKey(kid).Equal(want) {
		return fmt.Errorf("alg %v, kid %x: want EdDSA by %x", hdr[1], kid, want)
	}
	toBeSigned, err := cbor.Marshal([]any{"Signature1", protected, []byte{}, payload})
	if err != nil {
		return err
	}
	if !ed25519.Verify(want, toBeSigned, sig) {
		return fmt.Errorf("the Ed25519 signature does not verify")
	}
	return nil
}
