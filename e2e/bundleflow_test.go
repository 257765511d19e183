//go:build e2e

package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// cliRunner runs one workdiary command in a data folder with some build of
// the command line (the installed package's, a Windows build under Wine)
// and returns what it printed; it fails the test if the command fails.
type cliRunner func(home string, args ...string) string

// offlineBundle walks the whole offline path with one build of the
// command line: two identities, an offer accepted offline, manual time
// approved into the contractor's log, the log carried over as a file
// (sync --export / --import), and the employer's signed timesheet. It
// returns the bundle's path, already checked by the same build's verify.
func offlineBundle(t *testing.T, in cliRunner, emp, con, out, exchange string) string {
	t.Helper()
	in(emp, "init", "--name", "Employer")
	in(con, "init", "--name", "Contractor")
	code := strings.TrimSpace(in(emp, "contract", "offer", "--title", "Packaged", "--rate", "40", "--currency", "EUR",
		"--screenshots", "1", "--manual-time"))
	in(con, "contract", "accept", code, "--offline")
	list := decodeJSON[[]contractRecord](t, "contract list --json", in(con, "contract", "list", "--json"))
	if len(list) != 1 {
		t.Fatalf("the contractor's contracts after accepting: %+v, want one", list)
	}
	id := list[0].ID
	from := time.Now().UTC().Add(-2 * time.Hour).Truncate(10 * time.Minute)
	in(con, "diary", "add-manual", "--contract", id, "--from", from.Format(time.RFC3339),
		"--to", from.Add(20*time.Minute).Format(time.RFC3339), "--memo", "packaging")
	in(con, "approve", "--contract", id, "--all")
	in(con, "sync", "--export", exchange, "--contract", id)
	in(emp, "sync", "--import", exchange)
	year, week := from.ISOWeek()
	res := decodeJSON[struct {
		Files struct {
			Zip string `json:"zip"`
		} `json:"files"`
	}](t, "timesheet --json", in(emp, "timesheet", "--contract", id, "--week", fmt.Sprintf("%04d-W%02d", year, week), "--out", out, "--json"))
	if res.Files.Zip == "" {
		t.Fatal("timesheet --json named no bundle")
	}
	// The build may name the bundle in its own form (Z:\… under Wine):
	// its file name in out is the same either way.
	zip := filepath.Join(out, res.Files.Zip[strings.LastIndexAny(res.Files.Zip, `/\`)+1:])
	mustMention(t, "verify of the new bundle", in(t.TempDir(), "verify", zip), "valid")
	return zip
}
