//go:build e2e && linux

package e2e

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/cose"
)

// A misspelt week zone is refused when the offer is made. A contract
// offered with `--week-zone Asia/Tokyo` counts its weeks from
// Monday 00:00 in Tokyo: the employer's bundle of this Tokyo week
// verifies and says the zone. An employer who re-signs the offer, with
// its own real key, naming a zone that does not exist, UTC spelled out
// (a second encoding of the default), or a name each machine reads its own
// way (Local, localtime, europe/berlin on a case-insensitive disk) has the
// bundle refused for the week zone before anything else in it is read.
func TestDishonestWeekZone(t *testing.T) {
	emp, con := employerAndContractor(t)
	if out, err := tryCLI(t, emp, "contract", "offer", "--title", "Typo", "--rate", "1", "--week-zone", "Europe/Berlln"); err == nil ||
		!strings.Contains(err.Error(), `week zone "Europe/Berlln" is not a time zone this program knows`) {
		t.Fatalf("an offer in a misspelt zone: %v %s; want it refused naming the zone", err, out)
	}
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: "Tokyo weeks", rate: "3000", currency: "JPY",
		screenshots: 1, terms: []string{"--manual-time", "--week-zone", "Asia/Tokyo"}})
	mustMention(t, "contract show", cli(t, con, "contract", "show", id), "start Monday 00:00 Asia/Tokyo")
	addManualTime(t, con, id, 3*time.Hour, 2)
	cli(t, con, "approve", "--contract", id, "--all")
	logFile := filepath.Join(t.TempDir(), "log.zip")
	cli(t, con, "sync", "--export", logFile, "--contract", id)
	mustMention(t, "the import", cli(t, emp, "sync", "--import", logFile), "2 entries verified")
	tokyo, err := time.LoadLocation("Asia/Tokyo")
	if err != nil {
		t.Fatal(err)
	}
	year, wk := time.Now().Add(-3 * time.Hour).In(tokyo).ISOWeek()
	dir := t.TempDir()
	cli(t, emp, "timesheet", "--contract", id, "--week", fmt.Sprintf("%04d-W%02d", year, wk), "--out", dir)
	zips, _ := filepath.Glob(filepath.Join(dir, "*.zip"))
	if len(zips) != 1 {
		t.Fatalf("timesheet wrote %v, want one bundle", zips)
	}
	out := cli(t, con, "verify", zips[0])
	mustMention(t, "verify of the Tokyo week", out, fmt.Sprintf("week %04d-W%02d, starting Monday 00:00 Asia/Tokyo", year, wk))
	mustMention(t, "verify of the Tokyo week", out, "tracked 0:20")

	members := readMembers(t, zips[0])
	me, _ := partyIn(t, emp, id)
	for _, zone := range []string{"Mars/Olympus_Mons", "UTC", "Local", "localtime", "europe/berlin"} {
		t.Run(zone, func(t *testing.T) {
			m, err := cose.Open(memberData(members, "offer.cose"))
			if err != nil {
				t.Fatal(err)
			}
			var fields map[int]any
			if err := cose.Unmarshal(m.Payload, &fields); err != nil {
				t.Fatal(err)
			}
			fields[21] = zone // the week zone (docs/format.md)
			payload, err := cose.Marshal(fields)
			if err != nil {
				t.Fatal(err)
			}
			forged, err := cose.Sign(me.PrivateKey(), payload)
			if err != nil {
				t.Fatal(err)
			}
			bad := filepath.Join(t.TempDir(), "bad.zip")
			writeMembers(t, bad, replaceMember(members, "offer.cose", forged))
			out, err := tryCLI(t, con, "verify", bad)
			if err == nil || !strings.Contains(err.Error(), "week zone") {
				t.Fatalf("verify: %v %s; want the offer refused for its week zone", err, out)
			}
			t.Logf("refused: %v", err)
		})
	}
	mustMention(t, "verify of the honest bundle", cli(t, con, "verify", zips[0]), "valid")
}
