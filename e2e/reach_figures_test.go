//go:build e2e

package e2e

import (
	"bufio"
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

func (b relayBytes) minus(o relayBytes) relayBytes {
	return relayBytes{b.public - o.public, b.own - o.own}
}

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
// counts the rounds that went directly. Before each, both routers forget
// the mappings between them, so that each round must punch anew rather
// than reuse the hole the last one left open.
func punches(t *testing.T, lab *natlab.Lab, con labParty, id string, n int, a, b *natlab.Router) (direct int, paths []string) {
	t.Helper()
	for i := 0; i < n; i++ {
		if err := lab.Forget(a, b.Addr); err != nil {
			t.Fatal(err)
		}
		if err := lab.Forget(b, a.Addr); err != nil {
			t.Fatal(err)
		}
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
	took       time.Duration // the whole round: connecting, punching, sending
	transfer   time.Duration // from the first batch sent to the employer's last answer
	relays     relayBytes    // what the relays carried during the sync with images
	path       string
}

// mbps is the sync's throughput in megabytes a second: the images over
// the time the round spent sending.
func (b bulkResult) mbps() float64 { return float64(b.imageBytes) / 1e6 / b.transfer.Seconds() }

// bulkTrack is how much time the contractor tracks, at 120x, with three
// screenshots every ten minutes of a screen full of random text.
const bulkTrack = "40m"

// bulkSync tracks time with screenshots, approves it and syncs it, timing
// the round's sending by the progress lines `sync` prints as it goes.
func bulkSync(t *testing.T, emp, con labParty, id string, meters relayMeters) (bulkResult, error) {
	t.Helper()
	var b bulkResult
	if _, err := con.try(3*time.Minute, "track", "--contract", id, "--memo", "screens", "--for", bulkTrack, "--clock-speed", "120"); err != nil {
		return b, err
	}
	con.must("approve", "--contract", id, "--all")
	before := meters.read(t)
	start := time.Now()
	lines, err := con.timed(3*time.Minute, "sync", "--contract", id, "--timeout", "150s")
	b.took = time.Since(start)
	if err != nil {
		return b, err
	}
	var first, done time.Time
	for _, l := range lines {
		if strings.Contains(l.text, " sending ") && first.IsZero() {
			first = l.at
		}
		if strings.Contains(l.text, " done ") {
			done = l.at
		}
	}
	if first.IsZero() || done.IsZero() {
		return b, fmt.Errorf("the sync printed no progress from sending to done: %v", lines)
	}
	b.transfer = done.Sub(first)
	b.relays = meters.read(t).minus(before)
	// What went: the screenshots of the segments now synced (tracking
	// may end in a segment too young to approve, which stays behind).
	for _, s := range decodeJSON[[]struct {
		State       string `json:"state"`
		Screenshots []struct {
			Bytes int64 `json:"bytes"`
		} `json:"screenshots"`
	}](t, "diary", con.must("diary", "--contract", id, "--json")) {
		for _, img := range s.Screenshots {
			if s.State != "synced" {
				continue
			}
			b.images++
			b.imageBytes += img.Bytes
			if b.smallest == 0 || img.Bytes < b.smallest {
				b.smallest = img.Bytes
			}
		}
	}
	if b.images == 0 {
		return b, fmt.Errorf("the sync carried no screenshot")
	}
	b.path = lastPath(t, emp)
	return b, nil
}

// timedLine is a line a command printed, and when.
type timedLine struct {
	at   time.Time
	text string
}

// timed runs a command on the party's host within limit, noting when each
// line of its output came.
func (p labParty) timed(limit time.Duration, args ...string) ([]timedLine, error) {
	cmd := p.command(args...)
	var errOut lockedBuffer
	cmd.Stderr = &errOut
	out, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	timer := time.AfterFunc(limit, func() { _ = cmd.Process.Kill() })
	defer timer.Stop()
	var lines []timedLine
	sc := bufio.NewScanner(out)
	for sc.Scan() {
		lines = append(lines, timedLine{time.Now(), sc.Text()})
	}
	if err := cmd.Wait(); err != nil {
		return lines, fmt.Errorf("workdiary %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errOut.String()))
	}
	return lines, nil
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
			fmt.Fprintf(&b, "%s, %d Mbit/s lines: %d screenshots, %.1f MB, synced %s in %.1f s, %.1f s of it sending: %.2f MB/s; public relays carried %d bytes, the employer's relay %d (the smallest screenshot is %d bytes)\n",
				r.name, lineMbit, r.bulk.images, float64(r.bulk.imageBytes)/1e6, r.bulk.path, r.bulk.took.Seconds(), r.bulk.transfer.Seconds(),
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
const lineMbit = 20

// figures measures what case c measures beyond its story, after the
// receipt; it returns why it failed, or "".
func figures(t *testing.T, c reachCase, res *reachResult, lab *natlab.Lab, boot []string, emp, con labParty, id string,
	meters relayMeters, routers ...*natlab.Router) string {
	t.Helper()
	if c.punch {
		n, paths := punches(t, lab, con, id, punchAttempts, routers[0], routers[1])
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
		b, err := bulkSync(t, emp, con, id, meters)
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
