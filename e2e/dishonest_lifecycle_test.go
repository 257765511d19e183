//go:build e2e && linux

package e2e

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// A dishonest party changes a contract with its real key in ways that cost
// the other side: the employer cuts billed hours with a backdated end that
// no log binds, or ends into a closed week, or disputes a week outside its
// review window; the contractor's log binds records that are not the
// parties' (a stranger's end, an "amendment" it signed itself) or that
// reach into a closed week. Each is refused with its reason, and the
// honest bundle and log file still verify and import.
func TestDishonestLifecycle(t *testing.T) {
	w := honestWeek(t, "Lifecycle")
	emp, con, id := w.emp, w.con, w.id
	empKey, c := partyIn(t, emp, id)
	cid := c.ID()

	t.Run("backdated end beside the log", func(t *testing.T) {
		// 20 minutes worked, an end 5 minutes in: the employer's signature
		// is real, but no log binds it.
		start := time.Now().UTC().Add(-3 * time.Hour).Truncate(10 * time.Minute)
		end, err := contract.NewEnd(cid, empKey, "", start.Add(5*time.Minute))
		if err != nil {
			t.Fatal(err)
		}
		bad := filepath.Join(t.TempDir(), "bad.zip")
		writeMembers(t, bad, append(readMembers(t, w.bundle), member{name: "end.cose", data: end.Signed()}))
		refusedSaying(t, con, "verify", bad, "not bound into the contractor's log")
		mustMention(t, "verify of the honest bundle", cli(t, con, "verify", w.bundle), "valid")
	})
	t.Run("end into a closed week", func(t *testing.T) {
		at := time.Now().UTC().AddDate(0, 0, -15).Format(time.DateOnly)
		refusedSaying(t, emp, "contract", "end", id, "--at", at, "reaches into a closed week")
		mustMention(t, "contract show after the refused end", cli(t, emp, "contract", "show", id),
			"active", "30.00 USD/h", "dispute a week for 5 days")
	})
	t.Run("dispute outside the review window", func(t *testing.T) {
		from := time.Now().UTC().Add(-4 * time.Hour).Format(time.RFC3339)
		to := time.Now().UTC().Format(time.RFC3339)
		refusedSaying(t, emp, "contract", "dispute", id, "--from", from, "--to", to, "--reason", "not ours", "may be disputed from")
	})

	f := forgerOf(t, con, id, readMembers(t, w.log))
	now := time.Now().UTC().Truncate(time.Second)
	stranger, err := identity.Create(t.TempDir(), "Mallory")
	if err != nil {
		t.Fatal(err)
	}
	strangersEnd, _ := contract.NewEnd(cid, stranger, "", now.Add(-time.Hour))
	selfAmended := contractorSignedAmendment(t, f.key, c.Offer, now)
	for _, tc := range []struct {
		name, want string
		record     []byte
	}{
		{"a stranger's end bound into the log", "signed by someone who may not sign it", strangersEnd.Signed()},
		{"an amendment the contractor signed, of its own offer", "amendment is for", selfAmended},
	} {
		t.Run(tc.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.zip")
			writeMembers(t, bad, f.appended(t, ledger.BindRecord(tc.record, now.Unix())))
			before := readLog(t, emp, id)
			refusedSaying(t, emp, "sync", "--import", bad, tc.want)
			if after := readLog(t, emp, id); after.position() != before.position() {
				t.Fatalf("a refused import moved the employer's copy from %+v to %+v", before.position(), after.position())
			}
		})
	}
	t.Run("an end the log binds into a closed week", func(t *testing.T) {
		// The contractor's own end, backdated: sound, signed by a party,
		// but late. The employer keeps it for the chain, refused, and the
		// contract runs on.
		old, _ := contract.NewEnd(cid, f.key, "", now.AddDate(0, 0, -20))
		bad := filepath.Join(t.TempDir(), "bad.zip")
		writeMembers(t, bad, f.appended(t, ledger.BindRecord(old.Signed(), now.Unix())))
		cli(t, emp, "sync", "--import", bad)
		held := readRefusedLog(t, emp, id)
		if held.Seq != 3 || len(held.Refused) != 1 || !strings.Contains(held.Refused[0].Reason, "reaches into a closed week") {
			t.Fatalf("the employer holds seq %d, refusals %+v; want seq 3 refused as reaching into a closed week", held.Seq, held.Refused)
		}
		if _, c := partyIn(t, emp, id); c.State != contract.StateActive || c.End != nil {
			t.Fatalf("after a refused end the contract is %s (end %v), want active", c.State, c.End)
		}
	})
}

func refusedSaying(t *testing.T, home string, args ...string) {
	t.Helper()
	want := args[len(args)-1]
	out, err := tryCLI(t, home, args[:len(args)-1]...)
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("%s: %v %s; want it refused saying %q", strings.Join(args[:len(args)-1], " "), err, out, want)
	}
	t.Logf("refused: %v", err)
}

// contractorSignedAmendment is a raise the contractor signed itself: an
// amendment of an offer of the same terms that the contractor made as its
// own employer (NewAmendment signs only for an offer's employer).
func contractorSignedAmendment(t *testing.T, con *identity.Identity, o *contract.Offer, now time.Time) []byte {
	t.Helper()
	fake, err := contract.NewOffer(o.Terms, con, nil, now)
	if err != nil {
		t.Fatal(err)
	}
	a, err := contract.NewAmendment(fake, con, 1, contract.Change{RateMinor: 99999, WeeklyLimitHours: 168,
		From: o.Weeks().Begin(now).AddDate(0, 0, 7)}, now)
	if err != nil {
		t.Fatal(err)
	}
	return a.Signed()
}
