package main

import (
	"encoding/json"
	"slices"
	"testing"
	"time"
)

// The field names of every --json output that scripts read. A rename here
// breaks someone's script: change these lists only on purpose, and say so
// in docs/user-guide.md.
func TestJSONFieldNames(t *testing.T) {
	emp, con := t.TempDir(), t.TempDir()
	must(t, "--home", emp, "init", "--name", "Erin")
	must(t, "--home", con, "init", "--name", "Ada")
	check := func(what string, out string, want ...string) {
		t.Helper()
		if got := keys(t, what, out); !slices.Equal(got, want) {
			t.Errorf("%s --json fields %q; want %q", what, got, want)
		}
	}
	check("id", must(t, "--home", con, "id", "--json"),
		"addrs", "data_folder", "fingerprint", "name", "peer_id", "ssh_public_key")

	var offer struct{ Invite string }
	decode(t, must(t, "--home", emp, "contract", "offer", "--title", "Parser", "--rate", "35.00", "--manual-time", "--json"), &offer)
	acc := must(t, "--home", con, "contract", "accept", "--offline", "--json", offer.Invite)
	check("contract accept", acc, "contract", "delivered")
	var accepted struct{ Contract struct{ ID string } }
	decode(t, acc, &accepted)
	cid := accepted.Contract.ID
	check("contract list", must(t, "--home", con, "contract", "list", "--json"),
		"counterpart", "currency", "id", "rate", "role", "state", "title", "week_zone", "weekly_limit_hours")

	end := time.Now().UTC().Truncate(10 * time.Minute)
	must(t, "--home", con, "diary", "add-manual", "--contract", cid[:8],
		"--from", end.Add(-20*time.Minute).Format(time.RFC3339), "--to", end.Format(time.RFC3339), "--memo", "design")
	check("diary", must(t, "--home", con, "diary", "--json"),
		"active_minutes", "activity_measure", "apps", "clicks", "contract", "end", "id", "idle_pending", "keys", "kind", "memo",
		"minutes", "over_limit", "screenshots", "scrolls", "start", "state", "unverified", "webcam")
	logFields := []string{"approved", "checkpoint", "contract", "head", "log_id", "seq"}
	check("approve", must(t, "--home", con, "approve", "--all", "--contract", cid[:8], "--json"), logFields...)
	check("log", must(t, "--home", con, "log", "--contract", cid[:8], "--json"), logFields...)
	check("track status", must(t, "--home", con, "track", "status", "--json"),
		"contract", "ends", "last_memo", "last_thumb", "memo", "next_event", "owner", "running", "segment_detail", "segment_idle",
		"segment_minutes", "segment_start", "session", "session_limited", "session_lines", "started", "title", "today_minutes",
		"week_minutes", "weekly_limit_hours")

	net := must(t, "--home", con, "netcheck", "--wait", "0s", "--json")
	check("netcheck", net, "counterparts", "dht_peers", "local_only", "public_addrs", "reachability", "relay_addrs")
	var nr struct{ Counterparts json.RawMessage }
	decode(t, net, &nr)
	check("netcheck counterparts", string(nr.Counterparts), "contract", "last_reached", "path", "peer", "role", "title")
}

func decode(t *testing.T, out string, v any) {
	t.Helper()
	if err := json.Unmarshal([]byte(out), v); err != nil {
		t.Fatalf("not JSON (%v):\n%s", err, out)
	}
}
