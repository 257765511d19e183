//go:build e2e

package e2e

import (
	"fmt"
	"math"
	"math/rand/v2"
	"net"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

// syncFaultsConfig sizes a run: the short one for `make test`, the soak
// one for `make soak`.
type syncFaultsConfig struct {
	contracts    int           // contracts between the two parties, each with its own log
	hours        time.Duration // tracked per contract at 3600x: six segments an hour
	approvals    int           // steps in which the segments are approved during the faults
	faultRounds  int           // sync rounds with faults
	syncTimeout  time.Duration // each round's `sync --timeout`
	maxBudget    int64         // most bytes a connection may carry before its cut: about two approvals' images
	stallAllowed bool          // cuts that leave the connection silent (each costs a whole --timeout)
}

var (
	// Two contracts of 4 hours: 48 segments.
	syncFaultsShort = syncFaultsConfig{contracts: 2, hours: 4 * time.Hour, approvals: 6, faultRounds: 12,
		syncTimeout: 15 * time.Second, maxBudget: 2 << 20}
	// Two contracts of 20 hours: 240 segments, a week's work. One
	// contract cannot hold it: the employer accepts nothing from more than
	// a day before its offer, and the offer is made now.
	syncFaultsSoak = syncFaultsConfig{contracts: 2, hours: 20 * time.Hour, approvals: 20, faultRounds: 60,
		syncTimeout: 30 * time.Second, maxBudget: 4 << 20, stallAllowed: true}
)

// syncShots is screenshots per segment in the synced contracts.
const syncShots = 2

// pullTimeout bounds the employer's own syncs: they only have to overlap
// the contractor's round, and one that cannot reach the contractor (whose
// sync has ended) would otherwise wait out libp2p's dial.
const pullTimeout = 3 * time.Second

// Approved segments with screenshots (48; a week's 240 in the soak) go
// from the contractor to the employer's `serve` while connections are cut
// after a random number of bytes (through a proxy on the address in the
// offer), either side is killed with SIGKILL at random moments and
// restarted, and the employer syncs at the same time (docs/targets.md, reliability).
// Rounds go on until one completes cleanly; then the employer must hold
// exactly the contractor's approved log: the same head, the same entries
// byte for byte, the same images and nothing else, no duplicates, and a
// receipt both parties signed.
func TestSyncUnderFaults(t *testing.T) {
	display := requireDisplay(t)
	rng := faultRand(t)
	cfg := bySoak(syncFaultsShort, syncFaultsSoak)
	emp, con := employerAndContractor(t)
	var ids []string
	for i := 1; i <= cfg.contracts; i++ {
		ids = append(ids, offerAndAccept(t, cliIn(t, emp), cliIn(t, con),
			offer{title: fmt.Sprintf("Sync under faults %d", i), rate: "20.00", currency: "EUR", screenshots: syncShots}))
	}
	pristine := t.TempDir()
	copyFolder(t, emp, pristine) // the employer before any sync
	offerPort := employerPort(t, emp)

	busyScreen(t, display, clockLines)
	for _, id := range ids {
		trackFast(t, con, id, display, cfg.hours)
	}
	steps := planApprovals(t, con, ids, cfg.approvals)

	servePort := freePort(t, rng)
	cutter := startTCPCutter(t, fmt.Sprintf("127.0.0.1:%d", offerPort), fmt.Sprintf("127.0.0.1:%d", servePort))
	r := &faultRun{t: t, rng: rng, cfg: cfg, emp: emp, con: con, servePort: servePort, cutter: cutter}
	r.startEmployer()

	for round := 1; round <= cfg.faultRounds; round++ {
		if step := (round*len(steps) + cfg.faultRounds - 1) / cfg.faultRounds; step > r.approved {
			steps[step-1]()
			r.approved = step
		}
		r.round(round, r.randomFaults())
	}
	for _, id := range ids {
		cli(t, con, "approve", "--contract", id, "--all")
	}
	clean := false
	for round := cfg.faultRounds + 1; round <= cfg.faultRounds+5 && !clean; round++ {
		clean = r.round(round, faults{})
	}
	r.serve.stop(t, 30*time.Second)
	r.logCounts()
	if !clean {
		t.Fatalf("no sync round completed in 5 tries without faults; last output:\n%s", r.lastOutput)
	}

	committed := map[string]bool{}
	for _, id := range ids {
		for h := range checkSameLog(t, con, emp, id) {
			committed[h] = true
		}
	}
	checkEmployerImages(t, con, emp, committed)
	checkImports(t, con, emp, pristine, ids)
}

// employerPort is the TCP port in the employer's addresses, which its
// offers carry: the port kept in its data folder.
func employerPort(t *testing.T, emp string) int {
	t.Helper()
	id := readID(t, emp)
	re := regexp.MustCompile(`^/ip4/127\.0\.0\.1/tcp/(\d+)$`)
	for _, a := range id.Addrs {
		if m := re.FindStringSubmatch(a); m != nil {
			port, _ := strconv.Atoi(m[1])
			return port
		}
	}
	t.Fatalf("the employer has no loopback TCP address to put a proxy on: %v", id.Addrs)
	return 0
}

// freePort is a free port from 61000 up: above every port init chooses
// (20000..59999), so that libp2p, which dials a peer's lowest port first,
// takes the proxy on the offer's port before the node's own port that it
// learns once connected; and outside Linux's ephemeral range, so that no
// outgoing connection takes it meanwhile.
func freePort(t *testing.T, rng *rand.Rand) int {
	t.Helper()
	for i := 0; i < 100; i++ {
		port := 61000 + rng.IntN(4000)
		if ln, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", port)); err == nil {
			ln.Close()
			return port
		}
	}
	t.Fatal("no free port in 61000..64999")
	return 0
}

// trackFast records hours of a contract at 3600x, ending now.
func trackFast(t *testing.T, con, id, display string, hours time.Duration) {
	t.Helper()
	p := startWorkdiary(t, []string{"DISPLAY=" + display}, con, "track", "--contract", id, "--memo", "a week of work",
		"--for", hours.String(), "--clock-speed", "3600")
	if !p.endsWithin(hours/3600 + time.Minute) {
		t.Fatalf("track --for %v at 3600x did not end within a minute of its %v; output:\n%s", hours, hours/3600, p.hungOutput())
	}
	if p.err != nil {
		t.Fatalf("track: %v; output:\n%s", p.err, p.out.String())
	}
}

// planApprovals splits the finished segments of each contract into n
// approvals, made one by one during the faults, so that most rounds have
// something new to send.
func planApprovals(t *testing.T, con string, ids []string, n int) []func() {
	t.Helper()
	starts := map[string][]time.Time{}
	for _, s := range mustReadDiary(t, con) {
		if !s.Start.Add(10 * time.Minute).After(time.Now()) {
			starts[s.Contract] = append(starts[s.Contract], s.Start)
		}
	}
	steps := make([]func(), n)
	for i := range steps {
		last := i == n-1
		steps[i] = func() {
			for _, id := range ids {
				if last {
					cli(t, con, "approve", "--contract", id, "--all")
					continue
				}
				list := starts[id]
				through := list[(i+1)*len(list)/n] // segments starting before it
				cli(t, con, "approve", "--contract", id, "--through", through.Format(time.RFC3339))
			}
		}
	}
	return steps
}

// faults are what one round does to the sync. Each event happens that
// long into the round; zero means it does not happen.
type faults struct {
	budget    int64         // bytes each new connection through the proxy may carry; 0: no cut
	mode      cutMode       // how a cut connection ends
	killServe time.Duration // kill -9 the employer's serve (restarted after the round)
	killSync  time.Duration // kill -9 the contractor's sync
	pull      time.Duration // the employer syncs too: it asks the contractor to push the same logs
}

func (f faults) String() string {
	var parts []string
	if f.budget > 0 {
		parts = append(parts, fmt.Sprintf("%s after %d bytes", f.mode, f.budget))
	}
	for _, e := range f.events() {
		parts = append(parts, fmt.Sprintf("%s at %v", e.what, e.at.Round(time.Millisecond)))
	}
	if len(parts) == 0 {
		return "no faults"
	}
	return strings.Join(parts, ", ")
}

// faultRun is the employer's node, the proxy and the counts of a run.
type faultRun struct {
	t         *testing.T
	rng       *rand.Rand
	cfg       syncFaultsConfig
	emp, con  string
	servePort int
	cutter    *tcpCutter
	serve     *proc
	approved  int // approval steps made

	serveStarts, serveKills, syncKills, pulls, failedRounds int
	lastOutput                                              string
	typical                                                 time.Duration // the last undisturbed round's length
}

// randomFaults draws a round's faults: usually a cut after a budget drawn
// log-uniformly (so that small and large are both common), and sometimes
// a kill of either side or a sync from the employer's side at a moment
// drawn log-uniformly over about as long as a round takes, so that each
// phase gets hit: starting up, connecting, sending, exchanging the
// checkpoint.
func (r *faultRun) randomFaults() faults {
	var f faults
	if r.rng.IntN(3) < 2 {
		f.budget = int64(logUniform(r.rng, 4<<10, float64(r.cfg.maxBudget)))
		f.mode = cutMode(r.rng.IntN(2))
		if r.cfg.stallAllowed && r.rng.IntN(8) == 0 {
			f.mode = cutStall
		}
	}
	span := max(300*time.Millisecond, r.typical*3/2)
	moment := func() time.Duration {
		return time.Duration(logUniform(r.rng, float64(10*time.Millisecond), float64(span)))
	}
	if r.rng.IntN(4) == 0 {
		f.killServe = moment()
	}
	if r.rng.IntN(4) == 0 {
		f.killSync = moment()
	}
	if r.rng.IntN(4) == 0 {
		f.pull = moment()
	}
	return f
}

func logUniform(rng *rand.Rand, lo, hi float64) float64 {
	return math.Exp(math.Log(lo) + rng.Float64()*(math.Log(hi)-math.Log(lo)))
}

// startEmployer starts the employer's node on its own port, behind the proxy,
// and waits until it accepts connections. It syncs by itself only once an
// hour, so the contractor's rounds are what moves the log.
func (r *faultRun) startEmployer() {
	t := r.t
	r.serve = startServe(t, r.emp, fmt.Sprintf("/ip4/127.0.0.1/tcp/%d", r.servePort))
	r.serveStarts++
	deadline := time.Now().Add(10 * time.Second)
	for {
		c, err := net.Dial("tcp", fmt.Sprintf("127.0.0.1:%d", r.servePort))
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("serve says it is serving but port %d refuses connections: %v", r.servePort, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// round runs one contractor `sync` with the faults f and reports whether
// it completed cleanly: exit 0, and no fault happened.
func (r *faultRun) round(n int, f faults) bool {
	t := r.t
	opened, _, cutsBefore := r.cutter.counts()
	if f.budget > 0 {
		r.cutter.arm(f.budget, f.mode)
	}
	sync := startWorkdiary(t, nil, r.con, "sync", "--timeout", r.cfg.syncTimeout.String())
	started := time.Now()
	var pull *proc
	fired := false
	for _, e := range f.events() {
		time.Sleep(time.Until(started.Add(e.at)))
		switch e.what {
		case "kill serve":
			r.serve.kill9()
			r.serveKills++
			fired = true
		case "kill sync":
			if !sync.exited() {
				sync.kill9()
				r.syncKills++
				fired = true
			}
		case "employer sync":
			// Through serve when it runs; otherwise on its own, on a port
			// of its own (the offer's port is the proxy's).
			pull = startWorkdiary(t, nil, r.emp, "sync", "--timeout", pullTimeout.String(), "--listen", "/ip4/127.0.0.1/tcp/0")
			r.pulls++
			fired = true
		}
	}
	for _, p := range []*proc{sync, pull} {
		if p != nil && !p.endsWithin(r.cfg.syncTimeout+20*time.Second) {
			t.Fatalf("round %d (%v): %s did not end within 20s of its --timeout; output:\n%s", n, f, p.name, p.hungOutput())
		}
	}
	r.cutter.disarm()
	r.cutter.closeAll() // stalled connections end with the round
	if r.serve.exited() {
		if f.killServe == 0 {
			t.Fatalf("round %d: serve ended by itself (%v); output:\n%s", n, r.serve.err, r.serve.out.String())
		}
		r.startEmployer()
	}
	openedAfter, _, cutsAfter := r.cutter.counts()
	cut := cutsAfter > cutsBefore
	r.lastOutput = sync.out.String()
	if sync.err != nil {
		r.failedRounds++
	}
	if sync.err == nil && !fired && !cut {
		r.typical = time.Since(started)
	}
	t.Logf("round %d: %v → exit %v, %d connections through the proxy, cut %v, %v: %s", n, f, sync.err,
		openedAfter-opened, cut, time.Since(started).Round(time.Millisecond), lastLines(r.lastOutput, 3))
	return sync.err == nil && !fired && !cut
}

// event is one planned fault of a round.
type event struct {
	what string
	at   time.Duration
}

// events lists a round's timed faults in time order.
func (f faults) events() []event {
	var out []event
	for _, e := range []event{{"kill serve", f.killServe}, {"kill sync", f.killSync}, {"employer sync", f.pull}} {
		if e.at > 0 {
			out = append(out, e)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].at < out[j].at })
	return out
}

func (r *faultRun) logCounts() {
	opened, refused, cuts := r.cutter.counts()
	r.t.Logf("faults: %d connections through the proxy, %d refused while the employer was down, %d cut %v; "+
		"serve killed %d times (started %d), the contractor's sync killed %d times, %d employer syncs at once; %d rounds failed",
		opened, refused, cuts, r.cutter.cutsByMode(), r.serveKills, r.serveStarts, r.syncKills, r.pulls, r.failedRounds)
}

// lastLines is the end of a command's output, on one line.
func lastLines(out string, n int) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, " | ")
}
