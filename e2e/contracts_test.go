//go:build e2e

package e2e

import (
	"strconv"
	"strings"
	"testing"
)

// employerAndContractor are two new data folders, each with an identity
// named for the part it plays.
func employerAndContractor(t *testing.T) (emp, con string) {
	t.Helper()
	emp, con = t.TempDir(), t.TempDir()
	cli(t, emp, "init", "--name", "Employer")
	cli(t, con, "init", "--name", "Contractor")
	return emp, con
}

// contractRecord is a contract of `workdiary contract list --json`.
type contractRecord struct{ ID, Title, State string }

// listContracts is the folder's `contract list --json`.
func listContracts(t *testing.T, in runIn) []contractRecord {
	t.Helper()
	return decodeJSON[[]contractRecord](t, "contract list --json", in("contract", "list", "--json"))
}

// runIn runs a workdiary command that must succeed in one data folder and
// returns what it printed.
type runIn func(args ...string) string

// cliIn runs commands in home with cli.
func cliIn(t *testing.T, home string) runIn {
	return func(args ...string) string { t.Helper(); return cli(t, home, args...) }
}

// offer is a contract one data folder offers another.
type offer struct {
	title, rate, currency string
	screenshots           int      // per 10-minute segment
	terms                 []string // more flags of `contract offer`
	// online accepts through the employer's running node, and then the
	// contract must be active; otherwise the contractor accepts offline.
	online bool
}

// offerAndAccept makes the employer offer o, which the contractor
// accepts, and returns the contract's ID.
func offerAndAccept(t *testing.T, emp, con runIn, o offer) string {
	t.Helper()
	code := strings.TrimSpace(emp(append([]string{"contract", "offer", "--title", o.title, "--rate", o.rate,
		"--currency", o.currency, "--screenshots", strconv.Itoa(o.screenshots)}, o.terms...)...))
	accept := []string{"contract", "accept", code}
	if !o.online {
		accept = append(accept, "--offline")
	}
	con(accept...)
	list := listContracts(t, con)
	for _, c := range list {
		if c.Title == o.title && (!o.online || c.State == "active") {
			return c.ID
		}
	}
	where := "in the contractor's list"
	if o.online {
		where = "active on the contractor's side"
	}
	t.Fatalf("contract %q is not %s after accepting: %+v", o.title, where, list)
	return ""
}
