//go:build e2e

package e2e

import (
	"math/rand/v2"
	"path/filepath"
	"sort"
	"testing"
	"time"
)

const (
	// crashShots is the contract's screenshots per segment: one, so that a
	// restart that adds a second shot to a segment shows.
	crashShots = 1
	// crashHistory is how far back the first run starts. Each round adds
	// a few minutes at 60x; the employer accepts entries from a day before
	// the offer, so all of it stays importable.
	crashHistory = 12 * time.Hour
	// crashApproveEvery rounds, everything approvable is approved and the
	// whole log is verified on a clean employer copy.
	crashApproveEvery = 3
)

// The tracker killed with SIGKILL at random moments, many times over one
// data folder (docs/targets.md, reliability): after each kill the folder opens, the
// minutes the tracker had recorded are all still there (the minute in
// progress is the most a kill may cost), no minute is recorded twice, and
// every few rounds all that is approvable is approved and the whole log
// verifies on the employer's side.
//
// --clock-speed runs start in the past and end at the present, so each
// round starts its run where the diary ends (see plan), as a restart after
// a crash does with the wall clock.
func TestTrackerCrashLoop(t *testing.T) {
	display := requireDisplay(t)
	rng := faultRand(t)
	rounds := bySoak(6, 40)
	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con),
		offer{title: "Crash loop", rate: "20.00", currency: "EUR", screenshots: crashShots})
	busyScreen(t, display, clockLines)

	// emp is only ever copied from here on: each verification imports into
	// a fresh copy, which must check the whole log.
	l := &crashLoop{t: t, rng: rng, con: con, contract: id, display: display, pristineEmployer: emp,
		start: time.Now().UTC().Add(-crashHistory).Truncate(10 * time.Minute)}
	for round := 1; round <= rounds; round++ {
		l.round(round)
		if round%crashApproveEvery == 0 || round == rounds {
			l.approveAndVerify()
		}
	}
	if _, other := blobFolder(t, con); len(other) > 0 {
		t.Errorf("the contractor's image folder keeps %d files that are not images after reopening: %v", len(other), other)
	}
	t.Logf("%d rounds: %d kills while tracking, %d during start-up; %d minutes recorded, %d entries approved and verified",
		rounds, l.kills, l.earlyKills, l.minutes, l.seq)
}

// crashLoop is the state carried from round to round.
type crashLoop struct {
	t                      *testing.T
	rng                    *rand.Rand
	con, contract, display string
	pristineEmployer       string

	start         time.Time // the first segment
	afterApproval bool      // the diary's last segment is approved
	seq           uint64    // entries in the contractor's log
	kills         int
	earlyKills    int
	minutes       int
}

// crashPlan is one round: where the run's clock starts and when the run
// is killed.
type crashPlan struct {
	resumeAt time.Time
	overlap  int  // recorded minutes the run starts on or before: it replays them
	early    bool // kill during start-up
	// until holds the kill back until the running tracker's diary shows
	// something; nil for none.
	until func([]segmentRecord) bool
	what  string // what until waits for
}

// plan chooses the next round. The first two rounds always restart a run
// inside a segment that already has its screenshot and go on past its
// end, which is where a restart could add a shot the contract does not
// allow; later rounds start right after the last recorded minute, give or
// take (-1 … +3 minutes), or after an approval at the next segment, since
// approved segments are finished ones.
func (l *crashLoop) plan(n int, recorded map[minuteKey]minuteRecord) crashPlan {
	var last time.Time
	for k := range recorded {
		if k.at.After(last) {
			last = k.at
		}
	}
	end := last.Add(time.Minute)
	p := crashPlan{resumeAt: end}
	switch {
	case n == 1:
		slot := l.start
		p = crashPlan{resumeAt: slot, what: "the first segment's screenshot",
			until: func(segs []segmentRecord) bool { return shotMomentsAt(segs, slot) >= crashShots }}
	case n == 2:
		slot := l.start
		next := slot.Add(10 * time.Minute)
		if end.After(next) {
			next = end
		}
		p = crashPlan{resumeAt: slot.Add(time.Minute), what: "a minute from " + next.Format("15:04"),
			until: func(segs []segmentRecord) bool { return latestMinute(segs).After(next.Add(-time.Second)) }}
	case l.afterApproval:
		p.resumeAt = end.Truncate(10 * time.Minute)
		if p.resumeAt.Before(end) {
			p.resumeAt = p.resumeAt.Add(10 * time.Minute)
		}
	default:
		p.resumeAt = end.Add(time.Duration(l.rng.IntN(5)-1) * time.Minute)
		p.early = l.rng.IntN(6) == 0
	}
	l.afterApproval = false
	for k := range recorded {
		if !k.at.Before(p.resumeAt.Truncate(time.Minute)) {
			p.overlap++
		}
	}
	return p
}

// round starts the tracker, kills it, and checks what the kill left.
func (l *crashLoop) round(n int) {
	t := l.t
	before := mustReadDiary(t, l.con)
	beforeMin, err := minutesOf(before)
	if err != nil {
		t.Fatalf("round %d, before the run: %v", n, err)
	}
	pl := l.plan(n, beforeMin)
	forDur := time.Since(pl.resumeAt).Truncate(time.Second)
	p := startWorkdiary(t, []string{"DISPLAY=" + l.display}, l.con, "track", "--contract", l.contract,
		"--memo", "crash loop", "--for", forDur.String(), "--clock-speed", "60")

	var snapshot []segmentRecord
	var elapsed time.Duration
	if pl.early {
		// A kill during start-up: opening the store, starting the
		// network or the input helper.
		time.Sleep(between(l.rng, 0, 500*time.Millisecond))
		l.earlyKills++
	} else {
		if !p.waitOutput("Tracking", 30*time.Second) {
			t.Fatalf("round %d: the tracker did not start within 30s; output:\n%s", n, p.hungOutput())
		}
		started := time.Now()
		if pl.until != nil {
			l.awaitDiary(n, p, pl)
			time.Sleep(between(l.rng, 0, 300*time.Millisecond))
		} else {
			time.Sleep(between(l.rng, time.Second, 5*time.Second))
		}
		// What the running tracker says it has recorded: all of it must
		// survive the kill.
		if snapshot, err = readDiary(t, l.con); err != nil {
			t.Logf("round %d: no diary from the running tracker (%v); checking the kill without it", n, err)
		}
		time.Sleep(between(l.rng, 0, 1500*time.Millisecond))
		if p.exited() {
			t.Fatalf("round %d: the tracker ended by itself before the kill (%v); output:\n%s", n, p.err, p.out.String())
		}
		elapsed = time.Since(started)
		l.kills++
	}
	p.kill9()

	after := mustReadDiary(t, l.con) // the store opens after the kill
	afterMin, err := minutesOf(after)
	if err != nil {
		t.Fatalf("round %d, after kill -9: %v", n, err)
	}
	l.checkKept(n, before, beforeMin, after, afterMin, snapshot)
	added := newMinutes(beforeMin, afterMin)
	if !pl.early {
		// At 60x a wall second is a tracked minute. The kill may cost the
		// minute in progress, and one more may be mid-write; minutes the
		// run replays were there already.
		if want := int(elapsed.Seconds()) - 2 - pl.overlap; len(added) < want {
			t.Fatalf("round %d: %d new minutes after tracking %v at 60x (replaying %d) and kill -9, want at least %d\n%s",
				n, len(added), elapsed.Round(time.Millisecond), pl.overlap, want, p.out.String())
		}
	}
	checkNoGaps(t, n, added, afterMin)
	l.minutes = len(afterMin)
	t.Logf("round %d: clock from %s (replaying %d minutes), kill after %v (during start-up %v): %d → %d minutes",
		n, pl.resumeAt.Format("15:04:05"), pl.overlap, elapsed.Round(time.Millisecond), pl.early, len(beforeMin), len(afterMin))
}

// awaitDiary polls the running tracker's diary until the plan's condition
// holds.
func (l *crashLoop) awaitDiary(n int, p *proc, pl crashPlan) {
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) && !p.exited() {
		if segs, err := readDiary(l.t, l.con); err == nil && pl.until(segs) {
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	l.t.Fatalf("round %d: the running tracker's diary did not show %s within 60s; output:\n%s", n, pl.what, p.hungOutput())
}

// shotMomentsAt counts the screenshot moments of the segment at slot.
func shotMomentsAt(segs []segmentRecord, slot time.Time) int {
	moments := map[time.Time]bool{}
	for _, s := range segs {
		if s.Start.Equal(slot) {
			for _, img := range s.Screenshots {
				moments[img.TakenAt] = true
			}
		}
	}
	return len(moments)
}

// latestMinute is when the diary's last recorded minute starts.
func latestMinute(segs []segmentRecord) time.Time {
	var last time.Time
	for _, s := range segs {
		for _, m := range s.Minutes {
			if at := s.Start.Add(time.Duration(m.Minute) * time.Minute); at.After(last) {
				last = at
			}
		}
	}
	return last
}

// checkKept fails unless every minute and image of before is unchanged in
// after, every minute the running tracker reported survived, approved
// segments are untouched, no segment has more screenshots than the contract
// allows, and every screenshot is on disk.
func (l *crashLoop) checkKept(n int, before []segmentRecord, beforeMin map[minuteKey]minuteRecord,
	after []segmentRecord, afterMin map[minuteKey]minuteRecord, snapshot []segmentRecord) {
	t := l.t
	for k, m := range beforeMin {
		if got, ok := afterMin[k]; !ok || got != m {
			t.Fatalf("round %d: minute %s was %+v before the run and is %+v (kept %v) after kill -9", n, k.at.Format(time.RFC3339), m, got, ok)
		}
	}
	snapMin, err := minutesOf(snapshot)
	if err != nil {
		t.Fatalf("round %d, the running tracker's diary: %v", n, err)
	}
	for k, m := range snapMin {
		if got, ok := afterMin[k]; !ok || got != m {
			t.Fatalf("round %d: minute %s was recorded (%+v) while the tracker ran, and after kill -9 it is %+v (kept %v)",
				n, k.at.Format(time.RFC3339), m, got, ok)
		}
	}
	bySlot := map[time.Time]segmentRecord{}
	for _, s := range after {
		bySlot[s.Start] = s
		moments := map[time.Time]bool{}
		for _, img := range s.Screenshots {
			moments[img.TakenAt] = true
			checkBlob(t, l.con, img.Hash)
			checkBlob(t, l.con, img.Thumb)
		}
		if len(moments) > crashShots {
			t.Errorf("round %d: segment %s has screenshots at %d moments, the contract allows %d per segment: %+v",
				n, s.ID, len(moments), crashShots, s.Screenshots)
		}
		for _, m := range s.Minutes {
			if end := s.Start.Add(time.Duration(m.Minute+1) * time.Minute); end.After(time.Now()) {
				t.Fatalf("round %d: minute %s of segment %s ends in the future", n, end.Add(-time.Minute).Format(time.RFC3339), s.ID)
			}
		}
	}
	for _, b := range before {
		a := bySlot[b.Start]
		if b.State != "recorded" && (a.State != b.State || a.Entry != b.Entry || len(a.Minutes) != len(b.Minutes)) {
			t.Fatalf("round %d: approved segment %s changed: was %s entry %d with %d minutes, now %s entry %d with %d",
				n, b.ID, b.State, b.Entry, len(b.Minutes), a.State, a.Entry, len(a.Minutes))
		}
		kept := map[string]bool{}
		for _, img := range a.Screenshots {
			kept[img.Hash] = true
		}
		for _, img := range b.Screenshots {
			if !kept[img.Hash] {
				t.Fatalf("round %d: screenshot %s of segment %s is gone after the run", n, img.Hash, b.ID)
			}
		}
	}
}

// newMinutes are the minutes of after that before did not have, in order.
func newMinutes(before, after map[minuteKey]minuteRecord) []time.Time {
	var out []time.Time
	for k := range after {
		if _, ok := before[k]; !ok {
			out = append(out, k.at)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Before(out[j]) })
	return out
}

// checkNoGaps fails if a minute is missing between the first and the last
// minute a run added: the run keeps idle time, so it records every minute.
func checkNoGaps(t *testing.T, n int, added []time.Time, all map[minuteKey]minuteRecord) {
	t.Helper()
	if len(added) == 0 {
		return
	}
	have := map[time.Time]bool{}
	for k := range all {
		have[k.at] = true
	}
	for at := added[0]; at.Before(added[len(added)-1]); at = at.Add(time.Minute) {
		if !have[at] {
			t.Fatalf("round %d: minute %s is missing between %s and %s, which the run recorded",
				n, at.Format(time.RFC3339), added[0].Format(time.RFC3339), added[len(added)-1].Format(time.RFC3339))
		}
	}
}

// approveAndVerify approves everything approvable and checks that the
// whole log verifies: exported, and imported by a copy of the employer
// that has seen nothing yet, which checks every signature, the chain, the
// contract's terms and every image against its hash.
func (l *crashLoop) approveAndVerify() {
	t := l.t
	st := decodeJSON[logStatus](t, "approve --json", cli(t, l.con, "approve", "--contract", l.contract, "--all", "--json"))
	if st.Seq != l.seq+uint64(st.Approved) {
		t.Fatalf("approved %d segments onto a log of %d entries, and the log now has %d", st.Approved, l.seq, st.Seq)
	}
	l.seq, l.afterApproval = st.Seq, true

	entries := map[uint64]string{}
	for _, s := range mustReadDiary(t, l.con) {
		// A segment with no minute (killed after its screenshot, before
		// its first minute was saved) holds no time to approve; the
		// contractor deletes it like any other.
		if s.State == "recorded" && len(s.Minutes) > 0 && !s.Start.Add(10*time.Minute).After(time.Now()) {
			t.Fatalf("segment %s is finished but still recorded after approve --all", s.ID)
		}
		if s.State == "recorded" {
			continue
		}
		if s.Entry < 1 || s.Entry > st.Seq || entries[s.Entry] != "" {
			t.Fatalf("segment %s is %s as entry %d; the log has %d entries and entry %d is also segment %q",
				s.ID, s.State, s.Entry, st.Seq, s.Entry, entries[s.Entry])
		}
		entries[s.Entry] = s.ID
	}
	if uint64(len(entries)) != st.Seq {
		t.Fatalf("%d approved segments, but the log has %d entries", len(entries), st.Seq)
	}

	file := filepath.Join(t.TempDir(), "log.zip")
	cli(t, l.con, "sync", "--export", file, "--contract", l.contract)
	emp := t.TempDir()
	copyFolder(t, l.pristineEmployer, emp)
	cli(t, emp, "sync", "--import", file)
	got, want := readLog(t, emp, l.contract), readLog(t, l.con, l.contract)
	if got.Seq != want.Seq || got.Head != want.Head || got.LogID != want.LogID {
		t.Fatalf("the employer imported log %s at seq %d head %s; the contractor has %s at seq %d head %s",
			got.LogID, got.Seq, got.Head, want.LogID, want.Seq, want.Head)
	}
	if got.Cosigned == "" {
		t.Fatalf("the employer's import left no cosigned checkpoint")
	}
}
