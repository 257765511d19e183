//go:build e2e

package e2e

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/e2e/natlab"
)

// The reach lab's figures (make nat-lab): bytes through relays, counted
// by the relays themselves (netcheck's relay_service); hole punching over
// many attempts; and a log with screenshots synced directly and through
// the employer's own relay, over shaped lines, for the throughput.

// labAll says whether every case and figure runs (make nat-lab).
func labAll() bool { return os.Getenv("WORKDIARY_NATLAB") == "all" }

// relayMeters are the lab's relays: the public helpers' limited ones and
// the employer's own.
type relayMeters struct {
	public []labParty
	own    []labParty
}

// relayBytes is how much the relays had carried at one moment.
type relayBytes struct{ public, own int64 }

func (b relayBytes) minus(o relayBytes) relayBytes { return relayBytes{b.public - o.public, b.own - o.own} }

// read asks each relay's node (netcheck talks to the running serve) what
// its relay service has carried.
func (m relayMeters) read(t *testing.T) relayBytes {
	t.Helper()
	sum := func(ps []labParty) int64 {
		var n int64
		for _, p := range ps {
			rep := decodeJSON[struct {
				Relay *struct {
					Bytes int64 `json:"bytes"`
				} `json:"relay_service"`
			}](t, "netcheck", p.must("netcheck", "--json"))
			if rep.Relay == nil {
				t.Fatalf("%s runs no relay service", p.host.Name)
			}
			n += rep.Relay.Bytes
		}
		return n
	}
	return relayBytes{public: sum(m.public), own: sum(m.own)}
}

// punchAttempts is how many fresh connections the port-preserving pair
// makes, each by a new `sync` process: a relayed connection first, then
// a punch.
const punchAttempts = 10

// punches syncs n times, each a new process and so a new connection, and
// counts the rounds that went directly.
func punches(con labParty, id string, n int) (direct int, paths []string) {
	for i := 0; i < n; i++ {
		out, err := con.try(90*time.Second, "sync", "--contract", id, "--json", "--timeout", "45s")
		path := "failed"
		if err == nil {
			var res []struct {
				Path  string `json:"path"`
				Error string `json:"error"`
			}
			if decodeErr := jsonInto(out, &res); decodeErr == nil && len(res) == 1 && res[0].Error == "" {
				path = res[0].Path
			}
		}
		// Across two NATs any connection without a relay was punched.
		if path == "hole-punched" || path == "direct" {
			direct++
		}
		paths = append(paths, path)
	}
	return direct, paths
}

// bulkResult is a log with screenshots synced once.
type bulkResult struct {
	images     int
	imageBytes int64
	smallest   int64
	took, idle time.Duration
	relays     relayBytes // what the relays carried during the sync with images
	path       string
}

// mbps is the sync's throughput in megabytes a second: the images over
// the round's time less an idle round's (connecting, punching).
func (b bulkResult) mbps() float64 {
	d := (b.took - b.idle).Seconds()
	if d <= 0 {
		d = b.took.Seconds()
	}
	return float64(b.imageBytes) / 1e6 / d
}

// bulkTrack is how much time the contractor tracks, at 120x, with three
// screenshots every ten minutes of a screen full of random text.
const bulkTrack = "40m"

// bulkSync tracks time with screenshots, approves it and syncs it, timing
// the round against an idle one right after.
func bulkSync(t *testing.T, con labParty, id string, meters relayMeters) (bulkResult, error) {
	t.Helper()
	var b bulkResult
	if _, err := con.try(3*time.Minute, "track", "--contract", id, "--memo", "screens", "--for", bulkTrack, "--clock-speed", "120"); err != nil {
		return b, err
	}
	con.must("approve", "--contract", id, "--all")
	for _, s := range decodeJSON[[]struct {
		Screenshots []struct {
			Bytes int64 `json:"bytes"`
		} `json:"screenshots"`
	}](t, "diary", con.must("diary", "--contract", id, "--json")) {
		for _, img := range s.Screenshots {
			b.images++
			b.imageBytes += img.Bytes
			if b.smallest == 0 || img.Bytes < b.smallest {
				b.smallest = img.Bytes
			}
		}
	}
	if b.images == 0 {
		return b, fmt.Errorf("tracking took no screenshot")
	}
	before := meters.read(t)
	start := time.Now()
	out, err := con.try(3*time.Minute, "sync", "--contract", id, "--json", "--timeout", "150s")
	b.took = time.Since(start)
	if err != nil {
		return b, err
	}
	var res []struct {
		Path  string `json:"path"`
		Error string `json:"error"`
	}
	if err := jsonInto(out, &res); err != nil || len(res) != 1 || res[0].Error != "" {
		return b, fmt.Errorf("the sync with images: %s", strings.TrimSpace(out))
	}
	b.path = res[0].Path
	b.relays = meters.read(t).minus(before)
	start = time.Now()
	if _, err := con.try(2*time.Minute, "sync", "--contract", id, "--timeout", "75s"); err != nil {
		return b, err
	}
	b.idle = time.Since(start)
	return b, nil
}

// figuresReport is the lines under the table.
func figuresReport(rows []reachResult) string {
	var b strings.Builder
	var direct, relayed *reachResult
	for i := range rows {
		r := &rows[i]
		if r.punched != "" {
			fmt.Fprintf(&b, "hole punching, %s: %s\n", r.name, r.punched)
		}
		if r.bulk != nil {
			fmt.Fprintf(&b, "%s: %d screenshots, %.1f MB, synced %s in %.1f s (an idle round %.1f s): %.2f MB/s; public relays carried %d bytes, the employer's relay %d (the smallest screenshot is %d bytes)\n",
				r.name, r.bulk.images, float64(r.bulk.imageBytes)/1e6, r.bulk.path, r.bulk.took.Seconds(), r.bulk.idle.Seconds(),
				r.bulk.mbps(), r.bulk.relays.public, r.bulk.relays.own, r.bulk.smallest)
			switch r.bulk.path {
			case "relayed":
				relayed = r
			case "hole-punched", "direct":
				direct = r
			}
		}
		if r.stranger != "" {
			fmt.Fprintf(&b, "%s\n", r.stranger)
		}
	}
	if direct != nil && relayed != nil {
		fmt.Fprintf(&b, "sync through the employer's relay: %.0f %% of a direct connection's throughput (target: at least 80 %%)\n",
			100*relayed.bulk.mbps()/direct.bulk.mbps())
	}
	return b.String()
}

func jsonInto(out string, v any) error { return json.Unmarshal([]byte(strings.TrimSpace(out)), v) }

// The lab's parties' names, which a stranger must never learn.
const (
	employerName   = "Erin Employer"
	contractorName = "Carl Contractor"
	labTitle       = "Lab work"
)

// lineMbit is the home lines' speed in the cases with screenshots.
const lineMbit = 50

// figures measures what case c measures beyond its story, after the
// receipt; it returns why it failed, or "".
func figures(t *testing.T, c reachCase, res *reachResult, lab *natlab.Lab, boot []string, emp, con labParty, id string,
	meters relayMeters, routers ...*natlab.Router) string {
	t.Helper()
	if c.punch {
		n, paths := punches(con, id, punchAttempts)
		res.punched = fmt.Sprintf("%d of %d fresh connections direct (%s)", n, punchAttempts, strings.Join(paths, ", "))
	}
	if c.bulk {
		busyScreen(t, requireDisplay(t), randomText)
		for _, r := range routers {
			if r != nil {
				if err := lab.Shape(r, lineMbit); err != nil {
					t.Fatal(err)
				}
			}
		}
		b, err := bulkSync(t, con, id, meters)
		if err != nil {
			return "sync with screenshots: " + firstLine(err.Error())
		}
		res.bulk = &b
		if b.relays.public >= b.smallest {
			return fmt.Sprintf("public relays carried %d bytes during the sync with screenshots, as much as a screenshot (%d)", b.relays.public, b.smallest)
		}
	}
	if c.stranger {
		line, err := meetStranger(t, lab, boot, emp, id, employerName, contractorName, labTitle)
		if err != nil {
			return err.Error()
		}
		res.stranger = line
	}
	return ""
}
