//go:build e2e

package e2e

import (
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

// Only the invite itself pairs: an acceptance of the same signed offer
// without the invite's secret is refused, and so is any acceptance once
// the employer withdrew the offer; the honest invite still works.
func TestOnlyTheInvitePairs(t *testing.T) {
	emp, con := employerAndContractor(t)
	thief := t.TempDir()
	cli(t, thief, "init", "--name", "Someone else")
	srv := startServe(t, emp, "/ip4/127.0.0.1/tcp/0")
	defer srv.stop(t, 10*time.Second)

	code := strings.TrimSpace(cli(t, emp, "contract", "offer", "--title", "Paired work", "--rate", "20", "--currency", "EUR"))
	offer, err := contract.DecodeInvite(code)
	if err != nil {
		t.Fatal(err)
	}
	// Someone who saw the signed offer (not the invite) accepts it.
	said := acceptSays(t, thief, offer.Invite())
	if !strings.Contains(said, "refused this acceptance") || !strings.Contains(said, "does not prove it comes from the invite") {
		t.Errorf("accepting without the invite's secret says %q; want the employer's refusal and why", said)
	}
	if got := listContracts(t, cliIn(t, emp)); len(got) != 1 || got[0].State != "offered" {
		t.Fatalf("after the thief the employer's contracts are %+v, want the offer still open", got)
	}

	// The real invite pairs.
	cli(t, con, "contract", "accept", code)
	if got := listContracts(t, cliIn(t, emp)); len(got) != 1 || got[0].State != "active" {
		t.Fatalf("after the contractor the employer's contracts are %+v, want one active", got)
	}

	// A withdrawn offer pairs with nobody.
	second := strings.TrimSpace(cli(t, emp, "contract", "offer", "--title", "Taken back", "--rate", "20", "--currency", "EUR"))
	var id string
	for _, c := range listContracts(t, cliIn(t, emp)) {
		if c.Title == "Taken back" {
			id = c.ID
		}
	}
	cli(t, emp, "contract", "withdraw", id)
	if said := acceptSays(t, con, second); !strings.Contains(said, "withdrew this offer") {
		t.Errorf("accepting a withdrawn offer says %q; want a refusal that says it was withdrawn", said)
	}
	for _, c := range listContracts(t, cliIn(t, emp)) {
		if c.Title == "Taken back" && c.State != "withdrawn" {
			t.Errorf("the withdrawn offer is %q", c.State)
		}
	}
}

// acceptSays runs `contract accept` and returns all it printed.
func acceptSays(t *testing.T, home, code string) string {
	t.Helper()
	cmd := workdiaryCommand(t, home, "contract", "accept", code)
	out, _ := cmd.CombinedOutput()
	return string(out)
}
