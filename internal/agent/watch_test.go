//go:build linux

package agent

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/notify"
	"github.com/workdiary/workdiary/internal/notify/notifytest"
)

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// fakeSyncs is a node whose sync states the test sets.
type fakeSyncs struct {
	mu     sync.Mutex
	states []node.SyncState
}

func (f *fakeSyncs) ListContracts() ([]contract.ListItem, error) { return nil, nil }

func (f *fakeSyncs) SyncStates() ([]node.SyncState, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]node.SyncState(nil), f.states...), nil
}

func (f *fakeSyncs) set(s node.SyncState) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.states = []node.SyncState{s}
}

// A counterpart unreachable for more than a day, on the injected clock,
// gives one notification naming the contract with an Open action, not one
// every round; a success clears it, so a later day of failures is said
// again; switched off, nothing is said.
func TestStaleSyncSaidOnceAndCleared(t *testing.T) {
	notes, srv := notifytest.Connected(t)
	clk := clocktest.New(monday)
	src := &fakeSyncs{}
	var mu sync.Mutex
	on := true
	opened := make(chan struct{}, 1)
	w := startWatcher(&watcher{node: src, now: clk.Now,
		on: func(kind string) bool { mu.Lock(); defer mu.Unlock(); return kind != "sync" || on },
		show: func(n notify.Note, onAction func(string)) {
			if err := notes.Show(n, onAction); err != nil {
				t.Error(err)
			}
		},
		open: func() { opened <- struct{}{} }})
	stale := func() []notifytest.Note {
		var out []notifytest.Note
		for _, n := range srv.All() {
			if n.Summary == "Not synced for over a day" {
				out = append(out, n)
			}
		}
		return out
	}
	unreachable := node.SyncState{Contract: "c1", Title: "Parser", Role: "contractor",
		Error: "the employer could not be reached", Unreachable: true}

	src.set(unreachable)
	for _, step := range []time.Duration{0, 12 * time.Hour, 11*time.Hour + 59*time.Minute} {
		clk.Advance(step)
		w.syncs()
	}
	if got := stale(); len(got) != 0 {
		t.Fatalf("notes within the first day of failures: %+v; want none", got)
	}
	clk.Advance(2 * time.Minute)
	for range 3 {
		w.syncs()
		clk.Advance(30 * time.Second)
	}
	got := stale()
	if len(got) != 1 {
		t.Fatalf("after a day and rounds beyond it, %d notes %+v; want exactly one", len(got), got)
	}
	if n := got[0]; !strings.Contains(n.Body, `"Parser"`) || !strings.Contains(n.Body, "employer could not be reached") ||
		!strings.Contains(n.Body, "Nothing is lost") || !n.HasAction(ActionOpen) {
		t.Fatalf("note %+v; want the contract, the employer unreachable, nothing lost and an Open action", n)
	}
	srv.Choose(t, got[0].ID, ActionOpen)
	select {
	case <-opened:
	case <-time.After(5 * time.Second):
		t.Fatal("choosing Open did not open the window")
	}

	// A success clears it; a new day of failures since is said again,
	// with the time of that success and the error.
	src.set(node.SyncState{Contract: "c1", Title: "Parser", Role: "contractor", Last: clk.Now(), LastGood: clk.Now()})
	w.syncs()
	lastGood := clk.Now()
	src.set(node.SyncState{Contract: "c1", Title: "Parser", Role: "contractor", Last: lastGood, LastGood: lastGood, Error: "receipt refused: bad signature"})
	clk.Advance(20 * time.Hour)
	w.syncs()
	if n := len(stale()); n != 1 {
		t.Fatalf("%d notes 20 h after a success; want still one", n)
	}
	clk.Advance(5 * time.Hour)
	w.syncs()
	w.syncs()
	got = stale()
	if len(got) != 2 || !strings.Contains(got[1].Body, "receipt refused: bad signature") ||
		!strings.Contains(got[1].Body, lastGood.Local().Format("Mon 2 Jan 15:04")) {
		t.Fatalf("after a success and a new day of failures: %+v; want a second note with the error and the last good sync", got)
	}

	// Switched off: a further day of failures after a success says nothing.
	mu.Lock()
	on = false
	mu.Unlock()
	src.set(node.SyncState{Contract: "c1", Title: "Parser", Role: "contractor", Last: clk.Now(), LastGood: clk.Now()})
	w.syncs()
	src.set(unreachable)
	w.syncs()
	clk.Advance(48 * time.Hour)
	w.syncs()
	if n := len(stale()); n != 2 {
		t.Fatalf("%d notes with sync notifications off; want no new one", n)
	}
}

// The real path: an agent on a real node whose employer is offline (a
// real sync attempt over loopback fails as unreachable) says so once,
// after a day on the node's clock, and not when switched off.
func TestStaleSyncOnARealNode(t *testing.T) {
	t.Setenv("WORKDIARY_LOCAL_ONLY", "1")
	notes, srv := notifytest.Connected(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	clk := clocktest.New(monday)
	emp, con := openNode(t, clk, "Erin"), openNode(t, clk, "Ada")
	offer, err := emp.OfferContract(node.OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD"})
	if err != nil {
		t.Fatal(err)
	}
	if err := con.StartNetwork(ctx, node.NetOptions{Listen: []string{"/ip4/127.0.0.1/tcp/0"}}); err != nil {
		t.Fatal(err)
	}
	acc, err := con.AcceptContract(ctx, node.AcceptParams{Code: offer.Invite, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	a := &Agent{Node: con, Notes: notes, log: slog.Default()}
	a.watch = newWatcher(a)
	sync := func() {
		if res, err := con.Sync(ctx, node.SyncParams{Contract: acc.Contract.ID}, nil); err != nil || len(res) != 1 || !res[0].Unreachable {
			t.Fatalf("sync with the employer offline: %+v %v; want unreachable", res, err)
		}
		a.watch.syncs()
	}
	sync()
	clk.Advance(25 * time.Hour)
	sync()
	sync()
	var got []notifytest.Note
	for _, n := range srv.All() {
		if n.Summary == "Not synced for over a day" {
			got = append(got, n)
		}
	}
	if len(got) != 1 || !strings.Contains(got[0].Body, `"Parser"`) || !got[0].HasAction(ActionOpen) {
		t.Fatalf("notes %+v; want one about Parser with an Open action", srv.All())
	}

	// Off in the settings, as the Settings screen switches it.
	if _, err := con.SetAgentSettings(node.AgentSettings{Notifications: map[string]bool{"sync": false}}); err != nil {
		t.Fatal(err)
	}
	a.watch = newWatcher(a) // a fresh agent: what it saw is forgotten
	sync()
	clk.Advance(25 * time.Hour)
	sync()
	if n := len(srv.All()); n != len(got) {
		t.Fatalf("with sync notifications off: %+v; want nothing new", srv.All())
	}
}

func openNode(t *testing.T, clk *clocktest.Fake, name string) *node.Node {
	t.Helper()
	n, err := node.Open(t.TempDir(), "test", clk)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	if _, err := n.CreateIdentity(name); err != nil {
		t.Fatal(err)
	}
	return n
}
