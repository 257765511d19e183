package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

// The employer's side on the command line: `team`, and `diary --contract`
// on an employer's contract showing the contractor's synced diary,
// read-only; and --json on init, diary edits, verify and serve status.
func TestEmployerCommands(t *testing.T) {
	emp, con := t.TempDir(), t.TempDir()
	check := func(what string, out string, want ...string) {
		t.Helper()
		if got := keys(t, what, out); !slices.Equal(got, want) {
			t.Errorf("%s --json fields %q; want %q", what, got, want)
		}
	}
	check("init", must(t, "--home", emp, "init", "--name", "Erin", "--json"),
		"addrs", "data_folder", "fingerprint", "name", "peer_id", "ssh_public_key")
	must(t, "--home", con, "init", "--name", "Ada")
	var offer struct{ Invite string }
	decode(t, must(t, "--home", emp, "contract", "offer", "--title", "Parser", "--rate", "35.00", "--weekly-limit", "40",
		"--manual-time", "--json"), &offer)
	var accepted struct{ Contract struct{ ID string } }
	decode(t, must(t, "--home", con, "contract", "accept", "--offline", "--json", offer.Invite), &accepted)
	id := accepted.Contract.ID

	// Two segments today, one re-memoed, approved and handed over as a file.
	end := time.Now().UTC().Truncate(10 * time.Minute)
	check("diary add-manual", must(t, "--home", con, "diary", "add-manual", "--contract", id[:8],
		"--from", end.Add(-20*time.Minute).Format(time.RFC3339), "--to", end.Format(time.RFC3339), "--memo", "design", "--json"),
		"changed")
	var segs []struct {
		ID   string `json:"id"`
		Memo string `json:"memo"`
	}
	decode(t, must(t, "--home", con, "diary", "--contract", id[:8], "--json"), &segs)
	if len(segs) != 2 {
		t.Fatalf("contractor's diary: %d segments, want 2", len(segs))
	}
	var memo struct{ Changed []string }
	decode(t, must(t, "--home", con, "diary", "memo", segs[0].ID, "--memo", "parser design", "--json"), &memo)
	if len(memo.Changed) != 1 || memo.Changed[0] != segs[0].ID {
		t.Fatalf("diary memo --json: changed %v, want [%s]", memo.Changed, segs[0].ID)
	}
	must(t, "--home", con, "approve", "--contract", id[:8], "--all")
	exchange := filepath.Join(t.TempDir(), "log.wdlog")
	must(t, "--home", con, "sync", "--export", exchange, "--contract", id[:8])
	must(t, "--home", emp, "sync", "--import", exchange)
	// The employer's reply goes back the same way, with the receipt.
	reply := filepath.Join(t.TempDir(), "reply.wdlog")
	if out := must(t, "--home", emp, "sync", "--export", reply, "--contract", id[:8]); !strings.Contains(out, "Wrote the reply for the contractor") {
		t.Errorf("the employer's sync --export: %q, want the reply written", out)
	}
	if out := must(t, "--home", con, "sync", "--import", reply); !strings.Contains(out, "Applied the employer's reply for contract "+id[:12]+": nothing new") {
		t.Errorf("the contractor's sync --import of the reply: %q", out)
	}

	team := must(t, "--home", emp, "team", "--json")
	check("team", team, "activity_percent", "contract", "contractor", "currency", "entries", "fingerprint", "last_memo",
		"last_path", "last_sync", "last_work", "online", "state", "title", "today_minutes", "week_amount", "week_minutes",
		"weekly_limit_hours")
	var rows []struct {
		Contractor   string `json:"contractor"`
		TodayMinutes int    `json:"today_minutes"`
		WeekMinutes  int    `json:"week_minutes"`
	}
	decode(t, team, &rows)
	// The segments end at the last 10-minute boundary: today in UTC, and
	// in the local day too unless the test runs in the first minutes of it.
	if len(rows) != 1 || rows[0].Contractor != "Ada" || rows[0].WeekMinutes != 20 && end.Weekday() != time.Monday {
		t.Fatalf("team: %+v, want Ada with 20 minutes this week", rows)
	}
	if text := must(t, "--home", emp, "team"); !strings.Contains(text, "Ada") || !strings.Contains(text, "Parser") || !strings.Contains(text, "40 h") {
		t.Errorf("team: %q, want Ada's row on Parser with the 40 h limit", text)
	}
	if text := must(t, "--home", con, "team"); !strings.Contains(text, "Nobody works on your contracts yet") {
		t.Errorf("team of a contractor: %q, want that nobody works for them", text)
	}

	var theirs []struct {
		ID   string `json:"id"`
		Memo string `json:"memo"`
	}
	decode(t, must(t, "--home", emp, "diary", "--contract", id[:8], "--json"), &theirs)
	if len(theirs) != 2 || theirs[0].Memo != "parser design" {
		t.Fatalf("employer's diary --contract: %+v, want the contractor's 2 segments, the first re-memoed", theirs)
	}
	if r := cli(t, "--home", emp, "diary", "memo", theirs[0].ID, "--memo", "mine now"); r.code == 0 {
		t.Fatalf("the employer re-memoed the contractor's segment: %s", r.stdout)
	}

	// verify --json: a valid bundle, and a file that is not one.
	out := t.TempDir()
	year, week := end.Add(-20 * time.Minute).ISOWeek()
	var ts struct{ Files struct{ Zip string } }
	decode(t, must(t, "--home", emp, "timesheet", "--contract", id[:8], "--week", isoWeekName(year, week), "--out", out, "--json"), &ts)
	check("verify", must(t, "verify", ts.Files.Zip, "--json"), "checkpoint_size", "file", "signer", "timesheet", "valid")
	bad := filepath.Join(t.TempDir(), "bad.zip")
	if err := os.WriteFile(bad, []byte("not a zip"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := cli(t, "verify", bad, "--json")
	var report struct {
		Valid bool   `json:"valid"`
		Error string `json:"error"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &report); err != nil || r.code != 1 || report.Valid || report.Error == "" {
		t.Fatalf("verify --json of a bad file: exit %d, %+v (%v); want exit 1 and valid false with the reason", r.code, report, err)
	}
}

func isoWeekName(year, week int) string { return fmt.Sprintf("%04d-W%02d", year, week) }

// `serve status` says whether an owner runs on the folder, and which.
func TestServeStatus(t *testing.T) {
	home := t.TempDir()
	must(t, "--home", home, "init", "--name", "Ada")
	var s struct {
		Running bool   `json:"running"`
		Owner   string `json:"owner"`
		PID     int    `json:"pid"`
	}
	decode(t, must(t, "--home", home, "serve", "status", "--json"), &s)
	if s.Running {
		t.Fatalf("serve status without an owner: %+v, want not running", s)
	}
	if text := must(t, "--home", home, "serve", "status"); !strings.Contains(text, "Nothing runs on") {
		t.Fatalf("serve status without an owner: %q", text)
	}
	serveOwner(t, home)
	out := must(t, "--home", home, "serve", "status", "--json")
	check := keys(t, "serve status", out)
	want := []string{"addrs", "data_folder", "online", "owner", "peer_id", "pid", "running", "sync", "tracking"}
	if !slices.Equal(check, want) {
		t.Errorf("serve status --json fields %q, want %q", check, want)
	}
	decode(t, out, &s)
	if !s.Running || s.Owner != "the desktop app" || s.PID != os.Getpid() {
		t.Fatalf("serve status with the app's owner: %+v, want it running in this process", s)
	}
}

// `config get|set` on the command line, with a refused value's reason.
func TestConfigCommands(t *testing.T) {
	home := t.TempDir()
	must(t, "--home", home, "init", "--name", "Ada")
	var set struct{ Key, Value, Applied string }
	decode(t, must(t, "--home", home, "config", "set", "idle_minutes", "5", "--json"), &set)
	if set.Value != "5" || set.Applied != "now" {
		t.Fatalf("config set idle_minutes 5: %+v, want 5 applied now", set)
	}
	if got := must(t, "--home", home, "config", "get", "idle_minutes"); got != "5\n" {
		t.Fatalf("config get idle_minutes = %q, want 5", got)
	}
	if got := must(t, "--home", home, "config", "set", "lan_discovery", "off"); !strings.Contains(got, "next starts") {
		t.Fatalf("config set lan_discovery off: %q, want that it applies at the next start", got)
	}
	cases := []struct {
		args []string
		code int
		says string
	}{
		{[]string{"config", "set", "idle_minutes", "0"}, 1, "idle_minutes: must be from 1 to 120 minutes"},
		{[]string{"config", "set", "relays", "relay.example.org"}, 1, "is not a multiaddr"},
		{[]string{"config", "set", "display_zone", "Mars/Olympus"}, 1, "is not a time zone name"},
		{[]string{"config", "set", "colour", "blue"}, 1, "see `workdiary config get`"},
		{[]string{"config", "set", "idle_minutes"}, 1, "config set needs KEY and VALUE"},
		{[]string{"config", "frobnicate"}, 2, "unknown subcommand"},
	}
	for _, group := range []string{"contract", "config"} {
		if r := cli(t, "--home", home, group, "--help"); r.code != 0 || !strings.Contains(r.stdout, "usage: workdiary "+group) {
			t.Errorf("workdiary %s --help: exit %d, %q; want its usage on stdout", group, r.code, r.stdout)
		}
	}
	for _, c := range cases {
		r := cli(t, append([]string{"--home", home}, c.args...)...)
		if r.code != c.code || !strings.Contains(r.stderr, c.says) {
			t.Errorf("workdiary %s: exit %d, %q; want exit %d saying %q", strings.Join(c.args, " "), r.code, r.stderr, c.code, c.says)
		}
	}
	all := must(t, "--home", home, "config", "get", "--json")
	check := keys(t, "config get", all)
	if want := []string{"data_folder", "free_bytes", "next_start", "used_bytes", "values"}; !slices.Equal(check, want) {
		t.Errorf("config get --json fields %q, want %q", check, want)
	}
}
