//go:build e2e

package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/e2e/natlab"
)

// The reach lab: an employer and a contractor in a simulated internet of
// network namespaces (e2e/natlab), each case run end to end with the
// built programs: offer, online accept, manual time approved, sync and
// the employer's receipt, and the path the data took as `netcheck --json`
// reports it. `make test` runs the short cases; `make nat-lab`
// (WORKDIARY_NATLAB=all) runs every case and prints a table of what each
// measured.

// reachCase is where the two parties sit.
type reachCase struct {
	name     string
	employer where
	contract where
	short    bool // part of `make test`
	// moves renumbers the employer's public address after a first good
	// sync and restarts its node: the contractor must find it again.
	moves bool
	// relay runs the employer's own `serve --relay` on a public host and
	// names it in the employer's config.json.
	relay bool
	// path is how the data must travel (netcheck's last_path); "file"
	// means the network must fail with advice and the file transport work.
	path string
	// The figures of make nat-lab: punch connects anew punchAttempts
	// times; bulk syncs a log with screenshots over shaped lines;
	// stranger lets someone who knows only the employer's peer ID try.
	punch, bulk, stranger bool
}

// where a party sits: on the internet, or behind a NAT of some kind.
type where struct {
	nat natlab.NAT // "" is a public address
	// ip6 gives a public host an IPv6 address: "dual" besides its IPv4
	// one, "only" instead of it.
	ip6 string
}

var public = where{}

func behind(n natlab.NAT) where { return where{nat: n} }

var (
	dualStack = where{ip6: "dual"}
	ipv6Only  = where{ip6: "only"}
)

var reachCases = []reachCase{
	{name: "both public", employer: public, contract: public, short: true, path: "direct"},
	{name: "contractor behind NAT", employer: public, contract: behind(natlab.PortPreserving), short: true, path: "direct"},
	{name: "employer moves", employer: public, contract: behind(natlab.PortPreserving), moves: true, path: "direct"},
	// The employer behind NAT dials the public contractor back directly
	// (hole punching's connection reversal).
	{name: "employer behind NAT", employer: behind(natlab.PortPreserving), contract: public, short: true, path: "hole-punched"},
	{name: "both behind port-preserving NAT", employer: behind(natlab.PortPreserving), contract: behind(natlab.PortPreserving), short: true, path: "hole-punched",
		punch: true, bulk: true},
	{name: "both behind symmetric NAT, own relay", employer: behind(natlab.Symmetric), contract: behind(natlab.Symmetric), relay: true, path: "relayed",
		bulk: true},
	{name: "both behind symmetric NAT, no relay", employer: behind(natlab.Symmetric), contract: behind(natlab.Symmetric), path: "file"},
	// The helpers have both; the contractor's only way is IPv6.
	{name: "contractor on IPv6 only", employer: dualStack, contract: ipv6Only, path: "direct"},
	{name: "stranger knows the employer's peer ID", employer: public, contract: behind(natlab.PortPreserving), path: "direct", stranger: true},
}

// reachResult is one row of the lab's table.
type reachResult struct {
	name   string
	stage  string // how far it got: accepted, synced, receipt
	path   string // how the data went, as netcheck says
	took   time.Duration
	failed string
	relays relayBytes // what the relays carried from the accept to the receipt
	// The figures, where the case measures them.
	punched  string
	bulk     *bulkResult
	stranger string
}

// labPort is where every lab node listens, each in its own namespace.
const labPort = 4001

func TestReachLab(t *testing.T) {
	if err := natlab.Available(); err != nil {
		if os.Geteuid() != 0 {
			t.Skipf("no NAT lab on this machine: %v", err)
		}
		t.Fatal(err)
	}
	all := os.Getenv("WORKDIARY_NATLAB") == "all"
	r := faultRand(t)
	var rows []reachResult
	for _, c := range reachCases {
		if !all && !c.short {
			continue
		}
		seed := r.Uint64()
		var res reachResult
		t.Run(c.name, func(t *testing.T) {
			res = runReachCase(t, c, seed)
			if res.failed != "" {
				t.Errorf("%s: %s", c.name, res.failed)
			}
		})
		if res.name != "" { // not filtered out by -run
			rows = append(rows, res)
		}
	}
	table := reachTable(rows) + "\n" + figuresReport(rows)
	t.Logf("\n%s", table)
	if err := os.WriteFile(filepath.Join(outDir(t), "nat-lab.txt"), []byte(table), 0o644); err != nil {
		t.Error(err)
	}
}

func reachTable(rows []reachResult) string {
	var b strings.Builder
	fmt.Fprintf(&b, "%-38s %-9s %-13s %8s %21s  %s\n", "case", "reached", "path", "seconds", "relay bytes public/own", "outcome")
	for _, r := range rows {
		outcome := "ok"
		if r.failed != "" {
			outcome = r.failed
		}
		relays := fmt.Sprintf("%d / %d", r.relays.public, r.relays.own)
		fmt.Fprintf(&b, "%-38s %-9s %-13s %8.1f %21s  %s\n", r.name, r.stage, r.path, r.took.Seconds(), relays, outcome)
	}
	return b.String()
}

// labParty is one installation in the lab: a host and a data folder.
type labParty struct {
	t    *testing.T
	host *natlab.Host
	home string
	env  []string
}

// labEnv lets a lab node use the whole lab, not loopback only. The lab
// has no route out, so nothing it tries can leave the machine; a
// bootstrap list, where one is given, names the lab's own hosts.
func labEnv(bootstrap []string) []string {
	return []string{"WORKDIARY_LOCAL_ONLY=", "WORKDIARY_BOOTSTRAP=" + strings.Join(bootstrap, ",")}
}

func (p labParty) command(args ...string) *exec.Cmd {
	cmd := p.host.Command(append(os.Environ(), p.env...), binary(p.t, "workdiary"), append([]string{"--home", p.home}, args...)...)
	return cmd
}

// try runs a command on the party's host, within limit.
func (p labParty) try(limit time.Duration, args ...string) (string, error) {
	cmd := p.command(args...)
	var out lockedBuffer
	var errOut lockedBuffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Start(); err != nil {
		return "", err
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	select {
	case err := <-done:
		if err != nil {
			return out.String(), fmt.Errorf("workdiary %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(errOut.String()))
		}
		return out.String(), nil
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		<-done
		return out.String(), fmt.Errorf("workdiary %s: no answer within %s", strings.Join(args, " "), limit)
	}
}

func (p labParty) must(args ...string) string {
	p.t.Helper()
	out, err := p.try(2*time.Minute, args...)
	if err != nil {
		p.t.Fatal(err)
	}
	return out
}

// labHelpers is how many public helper nodes the lab's internet has:
// libp2p trusts an address others observed once four peers at different
// addresses report it.
const labHelpers = 4

// startHelpers runs `serve --public` on public hosts of their own, each
// joining the DHT through the first, and returns their addresses as a
// bootstrap list, and the helpers.
func startHelpers(t *testing.T, lab *natlab.Lab, ip6 bool) ([]string, []labParty) {
	t.Helper()
	var boot []string
	var helpers []labParty
	for i := 0; i < labHelpers; i++ {
		name := fmt.Sprintf("pub%d", i+1)
		add := lab.AddPublic
		if ip6 {
			add = func(name string) (*natlab.Host, error) { return lab.AddPublic6(name, true) }
		}
		h, err := add(name)
		if err != nil {
			t.Fatal(err)
		}
		p := labParty{t, h, t.TempDir(), labEnv(boot)}
		p.serve("--public")
		helpers = append(helpers, p)
		id := peerIDOf(t, p)
		for _, a := range []string{"/ip4/%s/tcp/%d/p2p/%s", "/ip4/%s/udp/%d/quic-v1/p2p/%s"} {
			boot = append(boot, fmt.Sprintf(a, h.Addr, labPort, id))
		}
		if h.Addr6.IsValid() {
			for _, a := range []string{"/ip6/%s/tcp/%d/p2p/%s", "/ip6/%s/udp/%d/quic-v1/p2p/%s"} {
				boot = append(boot, fmt.Sprintf(a, h.Addr6, labPort, id))
			}
		}
	}
	return boot, helpers
}

// serve runs the party's node on the lab's port until the test ends.
func (p labParty) serve(args ...string) *proc {
	p.t.Helper()
	listen := []string{"--listen", fmt.Sprintf("/ip4/0.0.0.0/tcp/%d", labPort), "--listen", fmt.Sprintf("/ip4/0.0.0.0/udp/%d/quic-v1", labPort)}
	if p.host.Addr6.IsValid() {
		listen = append(listen, "--listen", fmt.Sprintf("/ip6/::/tcp/%d", labPort), "--listen", fmt.Sprintf("/ip6/::/udp/%d/quic-v1", labPort))
	}
	args = append(append([]string{"netns", "exec", p.host.NS, binary(p.t, "workdiary"), "--home", p.home, "serve", "--every", "1h"}, listen...), args...)
	srv := startProc(p.t, p.env, "ip", args...)
	if !srv.waitOutput("Serving", 30*time.Second) {
		p.t.Fatalf("serve on %s did not start: %s", p.host.Name, srv.hungOutput())
	}
	return srv
}

// startOwnRelay runs the employer's own relay on a public host of its
// own and names it in the employer's config.json.
func startOwnRelay(t *testing.T, lab *natlab.Lab, emp labParty) labParty {
	t.Helper()
	h, err := lab.AddPublic("relay")
	if err != nil {
		t.Fatal(err)
	}
	r := labParty{t, h, t.TempDir(), emp.env}
	r.must("init", "--name", "Office relay")
	empID := peerIDOf(t, emp)
	r.serve("--relay", "--relay-for", empID)
	relayID := peerIDOf(t, r)
	setConfig(t, emp.home, "relays", []string{fmt.Sprintf("/ip4/%s/tcp/%d/p2p/%s", h.Addr, labPort, relayID),
		fmt.Sprintf("/ip4/%s/udp/%d/quic-v1/p2p/%s", h.Addr, labPort, relayID)})
	return r
}

func peerIDOf(t *testing.T, p labParty) string {
	t.Helper()
	return decodeJSON[struct {
		PeerID string `json:"peer_id"`
	}](t, "id", p.must("id", "--json")).PeerID
}

// waitAddr waits until the party's node lists an address containing part.
func (p labParty) waitAddr(part string, limit time.Duration) bool {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		out, err := p.try(10*time.Second, "id", "--json")
		if err == nil && strings.Contains(out, part) {
			return true
		}
		time.Sleep(time.Second)
	}
	out, _ := p.try(10*time.Second, "id", "--json")
	p.t.Logf("%s's addresses after %s: %s", p.host.Name, limit, out)
	return false
}

// place puts a party on the lab's internet as w says and returns its
// host, and its router if it has one.
func place(t *testing.T, lab *natlab.Lab, name string, w where) (*natlab.Host, *natlab.Router) {
	t.Helper()
	if w.ip6 != "" {
		h, err := lab.AddPublic6(name, w.ip6 == "dual")
		if err != nil {
			t.Fatal(err)
		}
		return h, nil
	}
	if w.nat == "" {
		h, err := lab.AddPublic(name)
		if err != nil {
			t.Fatal(err)
		}
		return h, nil
	}
	r, err := lab.AddBehindNAT(name, w.nat)
	if err != nil {
		t.Fatal(err)
	}
	return r.Inside, r
}

// runReachCase builds a lab for one case and tells the whole story in it.
func runReachCase(t *testing.T, c reachCase, seed uint64) (res reachResult) {
	res.name = c.name
	lab, err := natlab.New(fmt.Sprintf("wdr%d", os.Getpid()%100000), seed)
	if err != nil {
		t.Fatal(err)
	}
	lab.Log = t.Logf
	t.Cleanup(lab.Close)
	t.Logf("lab seed %d", seed)

	boot, helpers := startHelpers(t, lab, c.employer.ip6 != "" || c.contract.ip6 != "")
	env := labEnv(boot)
	meters := relayMeters{public: helpers}
	empHost, empRouter := place(t, lab, "emp", c.employer)
	conHost, conRouter := place(t, lab, "con", c.contract)
	emp := labParty{t, empHost, t.TempDir(), env}
	con := labParty{t, conHost, t.TempDir(), env}
	emp.must("init", "--name", employerName)
	con.must("init", "--name", contractorName)
	if c.relay {
		meters.own = append(meters.own, startOwnRelay(t, lab, emp))
	}
	served := time.Now()
	srv := emp.serve()
	defer srv.stop(t, 10*time.Second)

	if c.employer.nat != "" {
		// An employer behind NAT is reachable once it holds a relay
		// reservation, which its invites and announcements then carry.
		if !emp.waitAddr("/p2p-circuit", time.Minute) {
			res.failed = "the employer got no relay address within a minute"
			return res
		}
		t.Logf("employer reachable through a relay after %.1f s", time.Since(served).Seconds())
	}
	shots := "0"
	if c.bulk && labAll() {
		shots = "3"
	}
	code := strings.TrimSpace(emp.must("contract", "offer", "--title", labTitle, "--rate", "30", "--currency", "EUR",
		"--screenshots", shots, "--manual-time"))
	before := meters.read(t)
	start := time.Now()
	defer func() {
		if res.took == 0 {
			res.took = time.Since(start)
		}
	}()
	res.stage = "none"
	if _, err := con.try(time.Minute, "contract", "accept", code); err != nil {
		res.failed = "accept: " + firstLine(err.Error())
		return res
	}
	var id string
	for _, k := range decodeJSON[[]contractRecord](t, "contract list", con.must("contract", "list", "--json")) {
		if k.State == "active" {
			id = k.ID
		}
	}
	if id == "" {
		res.failed = "accept left the contract pending: the employer was not reached"
		return res
	}
	res.stage = "accepted"
	from := time.Now().UTC().Add(-3 * time.Hour).Truncate(10 * time.Minute) // clear of tracked time
	con.must("diary", "add-manual", "--contract", id, "--from", from.Format(time.RFC3339),
		"--to", from.Add(20*time.Minute).Format(time.RFC3339), "--memo", "lab work")
	con.must("approve", "--contract", id, "--all")
	out, err := con.try(time.Minute+30*time.Second, "sync", "--contract", id, "--timeout", "75s")
	if os.Getenv("WORKDIARY_NATLAB_DEBUG") != "" {
		t.Logf("employer's serve:\n%s\ncontractor's sync:\n%s\n%v", srv.out.String(), out, err)
	}
	switch {
	case err != nil && c.path == "file":
		// No path carries a sync: the message says what to do, and the
		// log goes as a file instead.
		if !strings.Contains(out+err.Error(), "serve --relay") {
			res.failed = "sync failed without saying what to do: " + lastLine(out)
			return res
		}
		file := filepath.Join(t.TempDir(), "log.wdlog")
		con.must("sync", "--export", file, "--contract", id)
		emp.must("sync", "--import", file)
	case err != nil:
		res.failed = "sync: " + firstLine(err.Error()) + ": " + lastLine(out)
		return res
	case c.path == "file":
		res.failed = "sync went through where no path should carry it"
		return res
	}
	res.stage = "synced"
	got := decodeJSON[logStatus](t, "log", emp.must("log", "--contract", id, "--json"))
	want := decodeJSON[logStatus](t, "log", con.must("log", "--contract", id, "--json"))
	if got.position() != want.position() {
		res.failed = fmt.Sprintf("the employer holds %+v, the contractor %+v", got.position(), want.position())
		return res
	}
	// A log carried as a file brings the receipt back only with the next
	// sync that gets through.
	if want.Cosigned == "" && c.path != "file" {
		res.failed = "the contractor has no receipt"
		return res
	}
	res.stage = "receipt"
	res.path = lastPath(t, emp)
	if res.path != c.path {
		res.failed = fmt.Sprintf("the data went %q, want %q", res.path, c.path)
		return res
	}
	res.relays = meters.read(t).minus(before)
	if labAll() && (c.punch || c.bulk || c.stranger) {
		res.took = time.Since(start)
		if res.failed = figures(t, c, &res, lab, boot, emp, con, id, meters, empRouter, conRouter); res.failed != "" {
			return res
		}
	}
	if !c.moves {
		return res
	}
	srv.stop(t, 10*time.Second)
	if err := lab.Renumber(emp.host); err != nil {
		t.Fatal(err)
	}
	srv = emp.serve()
	con.must("diary", "add-manual", "--contract", id, "--from", from.Add(20*time.Minute).Format(time.RFC3339),
		"--to", from.Add(30*time.Minute).Format(time.RFC3339), "--memo", "after the move")
	con.must("approve", "--contract", id, "--all")
	moved := time.Now()
	if _, err := con.try(time.Minute, "sync", "--contract", id, "--timeout", "45s"); err != nil {
		res.failed = fmt.Sprintf("after the employer moved, sync: %s (%.0f s)", firstLine(err.Error()), time.Since(moved).Seconds())
		return res
	}
	res.stage = "found"
	return res
}

// lastPath is how the party's one counterpart was reached at the last
// good sync, as netcheck says.
func lastPath(t *testing.T, p labParty) string {
	t.Helper()
	report := decodeJSON[struct {
		Counterparts []struct {
			LastPath string `json:"last_path"`
		} `json:"counterparts"`
	}](t, "netcheck", p.must("netcheck", "--json"))
	if len(report.Counterparts) != 1 {
		return ""
	}
	return report.Counterparts[0].LastPath
}

// lastLine is the last line a command printed.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return lines[len(lines)-1]
}

// firstLine is the gist of a command's error: its first line of stderr.
func firstLine(s string) string {
	if i := strings.Index(s, "exit status "); i >= 0 {
		if j := strings.Index(s[i:], ": "); j >= 0 {
			s = s[i+j+2:]
		}
	}
	line, _, _ := strings.Cut(s, "\n")
	if len(line) > 120 {
		line = line[:120] + "…"
	}
	return line
}
