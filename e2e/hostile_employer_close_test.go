//go:build e2e

package e2e

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/node"
)

// The hostile peer, with the employer's identity, answers the week closes
// a serving contractor sends with its checkpoint (its clock past the
// week's review window) with cosigned closes it must not keep: the close
// it sent answered twice or cosigned by another key, and closes the
// employer alone signed of that week, of the week before and of another
// contract's log. The contractor ends each round with the reason and
// closes nothing; the real employer's answer then closes the week on both
// sides.
func TestHostileEmployerAnswersCloses(t *testing.T) {
	requireDisplay(t)
	attacker := buildHostilePeer(t)
	p := newEmployerAttack(t, "--manual-time")
	emp, con, id, victim, srv := p.emp, p.con, p.id, p.victim, p.srv
	addManualTime(t, con, id, 2*time.Hour, 3)
	cli(t, con, "approve", "--contract", id, "--all")
	syncHonest(t, con, id)
	srv.stop(t, 10*time.Second) // the attacker takes the employer's folder

	// Both sides a week and a day later: this week's review window (a day
	// after it ends) is over, and the contractor sends its close.
	later := []string{"WORKDIARY_CLOCK_SPEED=1", "WORKDIARY_CLOCK_AT=" + time.Now().Add(8*24*time.Hour+time.Hour).UTC().Format(time.RFC3339)}
	conSrv := startServeOffline(t, later, con)
	logBefore := readLog(t, con, id)
	weeksBefore := cli(t, con, "contract", "weeks", id, "--json")
	if n := cosignedWeeks(t, weeksBefore); n != 0 {
		t.Fatalf("before the attacks the contractor holds %d weeks closed by both: %s", n, weeksBefore)
	}
	run := startProc(t, nil, attacker, "--as", "employer", "--closes-due", "--only", "employer/closes-",
		"--target", peerAddress(t, con), "--employer-party", emp, "--victim-contract", victim,
		"--answer-within", "20s", "--rounds", hostileSize().rounds,
		"--", binary(t, "workdiary"), "--home", con, "sync", "--contract", id)
	if err := run.wait(); err != nil {
		t.Errorf("hostile employer: %v\n%s", err, run.stderr.String())
	}
	reports := checkRefused(t, parseReports(t, run.stdout.String()))
	for _, k := range []string{"employer/closes-unasked", "employer/closes-answered-twice", "employer/closes-forged-cosignature",
		"employer/closes-employer-only", "employer/closes-other-week", "employer/closes-other-log"} {
		found := false
		for _, r := range reports {
			found = found || r.Attack == k
		}
		if !found {
			t.Errorf("no %s attack in the run", k)
		}
	}
	for _, r := range reports {
		t.Logf("%s: %s %q (%s)", r.Attack, r.Code, r.Reason, r.Duration)
	}
	if got := readLog(t, con, id); got.Seq != logBefore.Seq || got.Head != logBefore.Head {
		t.Errorf("the contractor's log moved under the attacks: %+v, want %+v", got, logBefore)
	}
	if got := cli(t, con, "contract", "weeks", id, "--json"); got != weeksBefore {
		t.Errorf("the attacks changed the contractor's weeks (closes):\nbefore %s\nafter  %s", weeksBefore, got)
	}

	// The real employer, as late, cosigns the close.
	if conSrv.exited() {
		t.Fatalf("the contractor's serve exited during the attacks: %v\n%s", conSrv.err, conSrv.out.String())
	}
	startServeEnv(t, later, emp, "")
	syncHonest(t, con, id)
	if weeks := cli(t, con, "contract", "weeks", id, "--json"); cosignedWeeks(t, weeks) == 0 {
		t.Errorf("after the real employer's answer no week is closed by both: %s", weeks)
	}
	if log := conSrv.out.String(); strings.Contains(log, "panicked") {
		t.Errorf("a protocol handler of the contractor's serve panicked:\n%s", log)
	}
}

// cosignedWeeks counts the weeks `contract weeks --json` shows closed by
// both parties.
func cosignedWeeks(t *testing.T, out string) int {
	t.Helper()
	var weeks []node.WeekView
	if err := json.Unmarshal([]byte(out), &weeks); err != nil {
		t.Fatalf("contract weeks --json: %v\n%s", err, out)
	}
	n := 0
	for _, w := range weeks {
		if w.Cosigned {
			n++
		}
	}
	return n
}
