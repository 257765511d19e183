//go:build e2e && linux

package e2e

import (
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/store"
)

// refusedLog is `log --json` with the refusals.
type refusedLog struct {
	logStatus
	Refused []struct {
		Seq      uint64 `json:"seq"`
		Reason   string `json:"reason"`
		VoidedBy uint64 `json:"voided_by"`
	} `json:"refused"`
}

// One entry that breaks a term does not stop a contract's sync. Manual
// time from before the contract is refused by add-manual; an entry of that
// kind already signed (by a release that let it through) reaches the
// employer, who keeps it as refused with its reason and takes the good
// entries after it. Both sides say which entry and why; the timesheet and
// the offline verifier count nothing of it; the contractor voids it, and
// later syncs carry on.
func TestRefusedEntryDoesNotStopSync(t *testing.T) {
	emp, con := employerAndContractor(t)
	srv := startServe(t, emp, "/ip4/127.0.0.1/tcp/0")
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Refusals", rate: "30", currency: "USD",
		screenshots: 1, terms: []string{"--manual-time"}, online: true})
	old := time.Now().UTC().Add(-72 * time.Hour).Truncate(10 * time.Minute)

	out, err := tryCLI(t, con, "diary", "add-manual", "--contract", id, "--from", old.Format(time.RFC3339),
		"--to", old.Add(10*time.Minute).Format(time.RFC3339), "--memo", "before the contract")
	if err == nil || !strings.Contains(err.Error(), "before the contract started") {
		t.Fatalf("add-manual three days before the offer: %v %s; want it refused as before the contract", err, out)
	}
	t.Logf("add-manual refused: %v", err)

	oldSegment := signOutsideTerms(t, con, id, old)
	addManualTime(t, con, id, 2*time.Hour, 2)
	cli(t, con, "approve", "--contract", id, "--all")
	out = cli(t, con, "sync", "--contract", id)
	mustMention(t, "the contractor's sync", out, "in sync", "REFUSED entry 1", "before the contract started", "diary delete")
	t.Logf("the contractor's sync said:\n%s", out)

	held, own := readRefusedLog(t, emp, id), readRefusedLog(t, con, id)
	if held.Seq != 3 || held.Head != own.Head {
		t.Fatalf("the employer holds seq %d head %.12s, the contractor seq %d head %.12s; want all 3 entries", held.Seq, held.Head, own.Seq, own.Head)
	}
	for who, l := range map[string]refusedLog{"employer": held, "contractor": own} {
		if len(l.Refused) != 1 || l.Refused[0].Seq != 1 || !strings.Contains(l.Refused[0].Reason, "before the contract started") {
			t.Errorf("the %s's log shows refusals %+v; want entry 1, before the contract", who, l.Refused)
		}
	}
	if !srv.waitOutput("refused seq 1", 5*time.Second) {
		t.Errorf("serve's log does not name the refused entry:\n%s", srv.out.String())
	}
	mustMention(t, "the employer's log", cli(t, emp, "log", "--contract", id), "Refused by the employer: entry 1", "stands")
	shown := false
	for _, s := range mustReadDiaryRefusals(t, con) {
		switch {
		case s.ID == oldSegment:
			shown = strings.Contains(s.Refused, "before the contract started")
		case s.Refused != "":
			t.Errorf("the diary shows segment %s as refused: %q", s.ID, s.Refused)
		}
	}
	if !shown {
		t.Errorf("diary --json does not show segment %s with its refusal", oldSegment)
	}

	// The timesheet of the refused entry's week counts nothing of it, and
	// the offline verifier, applying the same rules, agrees.
	year, week := old.ISOWeek()
	dir := t.TempDir()
	out = cli(t, emp, "timesheet", "--contract", id, "--week", fmt.Sprintf("%04d-W%02d", year, week), "--out", dir)
	mustMention(t, "the employer's timesheet", out, "refused, not counted: seq 1")
	zips, _ := filepath.Glob(filepath.Join(dir, "*.zip"))
	if len(zips) != 1 {
		t.Fatalf("timesheet wrote %v, want one bundle", zips)
	}
	mustMention(t, "workdiary verify", cli(t, con, "verify", zips[0]), "valid", "refused, not counted: seq 1", "before the contract started")

	// The contractor voids it and adds correct time: later syncs go on.
	cli(t, con, "diary", "delete", oldSegment)
	addManualTime(t, con, id, 90*time.Minute, 1)
	cli(t, con, "approve", "--contract", id, "--all")
	out = cli(t, con, "sync", "--contract", id)
	if !strings.Contains(out, "in sync: the employer holds 5 entries") || strings.Contains(out, "REFUSED") {
		t.Fatalf("sync after the void: %s; want all 5 entries and nothing left refused", out)
	}
	held = readRefusedLog(t, emp, id)
	if held.Seq != 5 || len(held.Refused) != 1 || held.Refused[0].VoidedBy != 4 {
		t.Fatalf("after the void the employer holds seq %d, refusals %+v; want 5 entries, entry 1 voided by 4", held.Seq, held.Refused)
	}
	if held.Cosigned == "" || held.Cosigned != readRefusedLog(t, con, id).Cosigned {
		t.Errorf("the receipts differ after the last sync")
	}
	t.Logf("serve said:\n%s", srv.out.String())
}

func readRefusedLog(t *testing.T, home, contract string) refusedLog {
	t.Helper()
	return decodeJSON[refusedLog](t, "log --json", cli(t, home, logArgs(contract)...))
}

// refusedSegment is a segment of `diary --json` with its refusal.
type refusedSegment struct {
	ID      string `json:"id"`
	Refused string `json:"refused"`
}

func mustReadDiaryRefusals(t *testing.T, home string) []refusedSegment {
	t.Helper()
	return decodeJSON[[]refusedSegment](t, "diary --json", cli(t, home, diaryArgs...))
}

// signOutsideTerms writes what an earlier release let through: a manual
// segment at start, approved into the contract's log although the
// contract's entry rules refuse it. It opens the folder itself (nothing
// else may run on it) and returns the segment's ID.
func signOutsideTerms(t *testing.T, home, contractID string, start time.Time) string {
	t.Helper()
	n, c, me := openOwnLog(t, home, contractID)
	defer n.Close()
	s := diary.Segment{Contract: c.ID().String(), Start: start, State: diary.Recorded, Kind: diary.Manual, Memo: "before the contract"}
	for i := range 10 {
		s.AddMinute(diary.Minute{Index: i})
	}
	e, err := s.LedgerEntry(start.Add(time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	if err := c.EntryRules().Check(e); !errors.Is(err, contract.ErrBreaksTerms) {
		t.Fatalf("the entry at %s passes the contract's rules; the test needs one they refuse", start)
	}
	err = n.Store().Update(func(x *store.Txn) error {
		signed, err := appendOwn(x, me, c, e)
		if err != nil {
			return err
		}
		s.State, s.Entry = diary.Approved, signed.Entry.Seq
		return diarydb.PutTxn(x, s)
	})
	if err != nil {
		t.Fatal(err)
	}
	return s.ID()
}

// openOwnLog opens a contractor's folder (nothing else may run on it)
// with the contract and the contractor's identity, to write its log by
// hand.
func openOwnLog(t *testing.T, home, contractID string) (*node.Node, *contract.Contract, *identity.Identity) {
	t.Helper()
	n, err := node.Open(home, "test", clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	c, err := n.Contracts().Resolve(contractID)
	if err == nil {
		var me *identity.Identity
		if me, err = n.Identity(); err == nil {
			return n, c, me
		}
	}
	n.Close()
	t.Fatal(err)
	return nil, nil, nil
}

// appendOwn signs e as the next entry of the contractor's own log of c.
func appendOwn(x *store.Txn, me *identity.Identity, c *contract.Contract, e ledger.Entry) (ledger.Signed, error) {
	cid := [32]byte(c.ID())
	logID := ledger.LogIDOf(cid, me.PublicKey())
	head, err := logdb.Head(x, logID)
	if err != nil {
		return ledger.Signed{}, err
	}
	l, err := ledger.NewLog(me.PrivateKey(), cid, head, logdb.NewHistory(x, logID))
	if err != nil {
		return ledger.Signed{}, err
	}
	signed, err := l.Append(e)
	if err != nil {
		return ledger.Signed{}, err
	}
	return signed, logdb.Append(x, logID, []ledger.Signed{signed})
}
