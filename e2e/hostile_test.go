//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/p2p"
)

// hostileParams size a run: the short one for every test run, the soak
// one (WORKDIARY_SOAK=1) with a longer diary, more rounds of attacks and
// more slow-loris streams.
type hostileParams struct {
	trackFor string // tracked at 120x: 50m takes 25 s
	rounds   string
	streams  string
}

func hostileSize() hostileParams {
	if os.Getenv("WORKDIARY_SOAK") != "" {
		return hostileParams{trackFor: "120m", rounds: "20", streams: "12"}
	}
	return hostileParams{trackFor: "50m", rounds: "1", streams: "4"}
}

// A hostile peer attacks a running `workdiary serve` with its own fresh
// identity and as the contractor of a real contract, while an honest
// contractor syncs real tracked time with screenshots: every attack is
// refused with a reason, the node stores nothing of them, the honest
// contractor's log arrives whole, and the node still serves afterwards.
func TestHostilePeerAgainstServe(t *testing.T) {
	requireDisplay(t)
	size := hostileSize()
	attacker := buildHostilePeer(t)
	emp, honest, hostile := t.TempDir(), t.TempDir(), t.TempDir()
	cli(t, emp, "init", "--name", "Erin Employer")
	cli(t, honest, "init", "--name", "Hana Honest")
	cli(t, hostile, "init", "--name", "Mal Hostile")
	srv := startServe(t, emp, "/ip4/127.0.0.1/tcp/0")
	target := peerAddress(t, emp)
	honestID := offerAndAccept(t, cliIn(t, emp), cliIn(t, honest),
		offer{title: "Honest work", rate: "30", currency: "USD", screenshots: 1, online: true})
	hostileID := offerAndAccept(t, cliIn(t, emp), cliIn(t, hostile),
		offer{title: "Hostile work", rate: "30", currency: "USD", screenshots: 1, terms: []string{"--manual-time"}, online: true})

	tracker := startTracking(t, honest, honestID, size.trackFor)
	// Meanwhile: the hostile contractor's own time, synced as any
	// contractor would; the node holds this much of its log before the
	// attacks, and must hold exactly this much after.
	addManualTime(t, hostile, hostileID, 3*time.Hour, 2)
	cli(t, hostile, "approve", "--contract", hostileID, "--all")
	cli(t, hostile, "sync", "--contract", hostileID)
	hostileHeld := readLog(t, emp, hostileID)
	if own := readLog(t, hostile, hostileID); hostileHeld.Seq != 2 || hostileHeld.Head != own.Head {
		t.Fatalf("before the attacks the node holds %+v of the hostile contractor's log, want its 2 entries %+v", hostileHeld, own)
	}

	// No open offer: the stranger does not get past the connection gate.
	contractsBefore := cli(t, emp, "contract", "list", "--json")
	attack := func(extra ...string) *proc {
		args := append([]string{"--target", target, "--party", hostile, "--victim-contract", honestID,
			"--rounds", size.rounds, "--slowloris-streams", size.streams}, extra...)
		return startProc(t, nil, attacker, args...)
	}
	gated := attack("--as", "stranger")
	if err := gated.wait(); err != nil {
		t.Fatalf("hostile peer as a stranger without open offers: %v\n%s", err, gated.stderr.String())
	}
	for _, r := range checkRefused(t, parseReports(t, gated.stdout.String())) {
		if !strings.Contains(r.Reason, "would not let the stranger in") {
			t.Errorf("%s: %q; want the connection refused, since the node has no open offer", r.Attack, r.Reason)
		}
	}
	if after := cli(t, emp, "contract", "list", "--json"); after != contractsBefore {
		t.Errorf("the stranger changed the node's contracts:\nbefore %s\nafter  %s", contractsBefore, after)
	}

	segs := finishedSegments(t, waitTracking(t, tracker, honest))
	approveOne(t, honest, honestID, segs[0].ID)
	syncHonest(t, honest, honestID)

	// An open offer lets anyone connect: now the protocols must refuse.
	invite := strings.TrimSpace(cli(t, emp, "contract", "offer", "--title", "Open position", "--rate", "25", "--currency", "USD"))
	contractsBefore = cli(t, emp, "contract", "list", "--json")
	blobsBefore, _ := blobFolder(t, emp)
	run := attack("--probe-image", segs[0].Screenshots[0].Hash, "--memory", "--open-invite", invite)
	waitFor(t, run.stderr, "slow-loris: holding", 30*time.Second)
	rounds, pending := 0, segs[1:len(segs)-1]
	for busy := true; busy; rounds++ {
		if len(pending) > 0 {
			approveOne(t, honest, honestID, pending[0].ID)
			pending = pending[1:]
		}
		syncHonest(t, honest, honestID)
		select {
		case <-run.done:
			busy = false
		case <-time.After(time.Second):
		}
	}
	if err := run.wait(); err != nil {
		t.Errorf("hostile peer: %v\n%s", err, run.stderr.String())
	}
	t.Logf("%d honest sync rounds while the attacks ran", rounds)
	reports := checkRefused(t, parseReports(t, run.stdout.String()))
	checkCoverage(t, reports)
	for _, r := range reports {
		if r.As == "stranger" && strings.Contains(r.Reason, "would not let the stranger in") {
			t.Errorf("%s: %q; with an offer open the stranger must get in and be refused by the protocol", r.Attack, r.Reason)
		}
	}
	if len(pending) > 0 {
		t.Errorf("the attacks ended before the honest contractor's rounds did (%d segments left): the test proves less than it should", len(pending))
	}

	// After the attacks: the node still serves, and takes the last segment.
	if srv.exited() {
		t.Fatalf("serve exited during the attacks: %v\n%s", srv.err, srv.out.String())
	}
	approveOne(t, honest, honestID, segs[len(segs)-1].ID)
	syncHonest(t, honest, honestID)

	if got := readLog(t, emp, hostileID); got.Seq != hostileHeld.Seq || got.Head != hostileHeld.Head {
		t.Errorf("the node's copy of the hostile contractor's log moved: %+v, want %+v", got, hostileHeld)
	}
	checkHonestLog(t, emp, honest, honestID, len(segs))
	checkBlobs(t, emp, honest, blobsBefore)
	if after := cli(t, emp, "contract", "list", "--json"); after != contractsBefore {
		t.Errorf("the attacks changed the node's contracts:\nbefore %s\nafter  %s", contractsBefore, after)
	}
	checkServeLog(t, srv)
}

// checkRefused fails on any attack the node did not refuse with a reason
// (or, for a request it must serve, answer as asked),
// and returns the reports.
func checkRefused(t *testing.T, reports []attackReport) []attackReport {
	t.Helper()
	if len(reports) == 0 {
		t.Fatal("the hostile peer reported no attacks")
	}
	for _, r := range reports {
		if !(r.Refused || r.Answered) || strings.TrimSpace(r.Reason) == "" {
			t.Errorf("attack %s as the %s: refused %v, reason %q; want refused with a reason (or, asked for what it must serve, answered)", r.Attack, r.As, r.Refused, r.Reason)
		}
	}
	return reports
}

// checkCoverage makes sure the run had an attack of every kind docs/targets.md
// (security) names.
func checkCoverage(t *testing.T, reports []attackReport) {
	t.Helper()
	kinds := []string{"no-contract/sync", "no-contract/blob", "no-contract/pair", "no-contract/pair-open-offer",
		"no-contract/sync-greet-open-offer", "not-party/", "forged/",
		"chain/broken-prev", "chain/gap", "replay/changed-bytes", "overlap/", "image/hash-mismatch", "image/not-an-image", "image/other-dimensions",
		"close/", "oversized/", "garbage/", "truncated/", "slow-loris/", "record/strangers-end", "record/end-of-another-contract",
		"record/altered-signature", "record/offer-as-change"}
	for _, k := range kinds {
		found := false
		for _, r := range reports {
			found = found || strings.HasPrefix(r.Attack, k)
		}
		if !found {
			t.Errorf("no %s… attack in the run", k)
		}
	}
}

// checkHonestLog: the node holds exactly the honest contractor's log, and
// a receipt for it.
func checkHonestLog(t *testing.T, emp, honest, contract string, approved int) {
	t.Helper()
	held, own := readLog(t, emp, contract), readLog(t, honest, contract)
	if held.Seq != own.Seq || held.Head != own.Head || own.Seq != uint64(approved) {
		t.Errorf("honest log: the node holds seq %d head %.12s, the contractor has seq %d head %.12s; want both at the %d approved segments",
			held.Seq, held.Head, own.Seq, own.Head, approved)
	}
	if own.Cosigned == "" || held.Cosigned != own.Cosigned {
		t.Errorf("honest log: receipt on the contractor's side %q, on the node's %q; want the same cosigned checkpoint", own.Cosigned, held.Cosigned)
	}
}

// checkBlobs: the node's image store holds the images it had plus exactly
// the honest contractor's synced screenshots, and nothing else.
func checkBlobs(t *testing.T, emp, honest string, before map[string]string) {
	t.Helper()
	want := map[string]bool{}
	for f := range before {
		want[f] = true
	}
	for _, s := range mustReadDiary(t, honest) {
		for _, sh := range s.Screenshots {
			if s.State == "synced" {
				want[sh.Hash] = true
			}
		}
	}
	got, other := blobFolder(t, emp)
	for _, f := range other {
		t.Errorf("the node's image store holds %s, which is no honest screenshot", f)
	}
	for f := range got {
		if !want[f] {
			t.Errorf("the node's image store holds %s, which is no honest screenshot", f)
		}
	}
	for f := range want {
		if _, ok := got[f]; !ok {
			t.Errorf("the node lacks the honest screenshot %s", f)
		}
	}
}

// checkServeLog: no handler panicked, and the frame attacks were refused at
// the frame (the cap, the cut) rather than by a timeout.
func checkServeLog(t *testing.T, srv *proc) {
	t.Helper()
	log := srv.out.String()
	if strings.Contains(log, "panicked") {
		t.Errorf("a protocol handler of serve panicked:\n%s", log)
	}
	for _, want := range []error{p2p.ErrFrameTooLarge, p2p.ErrTruncated} {
		if !strings.Contains(log, want.Error()) {
			t.Errorf("serve never logged %q: the frame attacks were not refused at the frame\n%s", want, log)
		}
	}
}

// tracking is a running tracker and the key presses that keep it busy.
type tracking struct {
	*proc
	keysDone chan struct{} // closed to stop the key presses
}

// startTracking records time at 120x with key presses going on.
func startTracking(t *testing.T, home, contract, dur string) tracking {
	t.Helper()
	p := startWorkdiary(t, nil, home, "track", "--contract", contract,
		"--memo", "honest work", "--for", dur, "--clock-speed", "120")
	tr := tracking{proc: p, keysDone: make(chan struct{})}
	go func() {
		for {
			select {
			case <-tr.keysDone:
				return
			case <-time.After(500 * time.Millisecond):
				_ = exec.Command("xdotool", "key", "shift").Run()
			}
		}
	}()
	return tr
}

// waitTracking waits for the tracker to finish and returns the diary.
func waitTracking(t *testing.T, tr tracking, home string) []segmentRecord {
	t.Helper()
	err := tr.wait()
	close(tr.keysDone)
	if err != nil {
		t.Fatalf("track: %v\n%s", err, tr.stderr.String())
	}
	return mustReadDiary(t, home)
}

// finishedSegments are the tracked segments whose 10 minutes are over
// (only those can be approved), oldest first.
func finishedSegments(t *testing.T, segs []segmentRecord) []segmentRecord {
	t.Helper()
	var out []segmentRecord
	for _, s := range segs {
		if s.State == "recorded" && !s.Start.Add(10*time.Minute).After(time.Now()) && len(s.Screenshots) > 0 {
			out = append(out, s)
		}
	}
	if len(out) < 3 {
		t.Fatalf("tracking left %d finished segments with screenshots, want at least 3: %+v", len(out), segs)
	}
	return out
}

// addManualTime adds n 10-minute segments of manual time, starting ago.
func addManualTime(t *testing.T, home, contract string, ago time.Duration, n int) {
	t.Helper()
	from := time.Now().UTC().Add(-ago).Truncate(10 * time.Minute)
	to := from.Add(time.Duration(n) * 10 * time.Minute)
	cli(t, home, "diary", "add-manual", "--contract", contract, "--from", from.Format(time.RFC3339),
		"--to", to.Format(time.RFC3339), "--memo", "setting up")
}

func approveOne(t *testing.T, home, contract, segment string) {
	t.Helper()
	var st struct{ Approved int }
	if err := json.Unmarshal([]byte(cli(t, home, "approve", "--contract", contract, "--json", segment)), &st); err != nil || st.Approved != 1 {
		t.Fatalf("approve %s: %+v, %v; want one segment approved", segment, st, err)
	}
}

func syncHonest(t *testing.T, home, contract string) {
	t.Helper()
	// The output says why a contract did not sync; the error only that.
	if out, err := tryCLI(t, home, "sync", "--contract", contract); err != nil || !strings.Contains(out, "in sync") {
		t.Fatalf("honest sync: %v\n%s", err, out)
	}
}
