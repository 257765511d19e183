package app

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/node"
)

// window records the events the app sends, in place of Wails' runtime.
type window struct {
	mu     sync.Mutex
	events []string
}

func (w *window) emit(_ context.Context, name string, _ ...any) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.events = append(w.events, name)
}

// take returns the events sent since the last take.
func (w *window) take() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.events
	w.events = nil
	return out
}

var monday = time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC)

// testApp is the app on a contractor's node with a contract that allows
// manual time, its window recorded, as Startup wires it but without the
// network or signals.
func testApp(t *testing.T) (*App, *window, string) {
	t.Helper()
	con, _, cid := testParties(t)
	a, w := windowOn(t, con)
	return a, w, cid
}

// testParties are an employer's and a contractor's nodes with a contract
// that allows manual time, accepted offline (not delivered yet). The nodes
// are set up through the ops, as the command line would.
func testParties(t *testing.T) (con, emp *node.Node, cid string) {
	t.Helper()
	ctx := context.Background()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	var nodes []*node.Node
	for _, name := range []string{"Erin", "Ada"} {
		n, err := node.Open(t.TempDir(), "test", clk)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { n.Close() })
		if _, err := node.OpIdentityCreate.Run(ctx, n, node.CreateIdentityParams{Name: name}); err != nil {
			t.Fatal(err)
		}
		nodes = append(nodes, n)
	}
	offer, err := node.OpContractOffer.Run(ctx, nodes[0], node.OfferParams{Title: "Parser", Rate: "35.00", Currency: "USD", ManualTime: true})
	if err == nil {
		var acc node.AcceptResult
		acc, err = node.OpContractAccept.Run(ctx, nodes[1], node.AcceptParams{Code: offer.Invite, Offline: true})
		offer.Contract = acc.Contract
	}
	if err != nil {
		t.Fatal(err)
	}
	return nodes[1], nodes[0], offer.Contract.ID
}

// windowOn is the app on n with its window recorded.
func windowOn(t *testing.T, n *node.Node) (*App, *window) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	w := &window{}
	a := New(n)
	a.events, a.ctx = w.emit, ctx
	a.watch()
	return a, w
}

func at(t time.Time) string { return t.Format(time.RFC3339) }

// What the window does itself is announced once: by the node, not again
// by the binding.
func TestBindingsAnnounceEachChangeOnce(t *testing.T) {
	a, w, cid := testApp(t)
	added, err := a.Diary.AddManual(cid, at(monday), at(monday.Add(20*time.Minute)), "design", "")
	if err != nil || len(added.Changed) != 2 {
		t.Fatalf("AddManual = %+v, %v; want two segments", added, err)
	}
	if got := w.take(); !slices.Equal(got, []string{EventDiaryChanged}) {
		t.Errorf("AddManual: the window heard %q; want one %s", got, EventDiaryChanged)
	}
	if _, err := a.Diary.SetMemo(added.Changed[:1], "design review"); err != nil {
		t.Fatal(err)
	}
	if got := w.take(); !slices.Equal(got, []string{EventDiaryChanged}) {
		t.Errorf("SetMemo: the window heard %q; want one %s", got, EventDiaryChanged)
	}
	if st, err := a.Diary.Approve(cid, added.Changed); err != nil || st.Approved != 2 {
		t.Fatalf("Approve = %+v, %v; want 2 approved", st, err)
	}
	if got := w.take(); !slices.Equal(got, []string{EventDiaryChanged}) {
		t.Errorf("Approve: the window heard %q; want one %s", got, EventDiaryChanged)
	}
	if _, err := a.Contracts.Offer(OfferForm{Title: "Docs", Rate: "20.00", Currency: "EUR"}); err != nil {
		t.Fatal(err)
	}
	if got := w.take(); !slices.Equal(got, []string{EventContractsChanged}) {
		t.Errorf("Offer: the window heard %q; want one %s", got, EventContractsChanged)
	}
}

// A change made by another process through the control socket (the
// command line while the app owns the folder) reaches the window.
func TestSocketChangesReachTheWindow(t *testing.T) {
	a, w, cid := testApp(t)
	go a.n().Serve(a.ctx)
	home := a.n().Home
	added, err := node.OpAddManual.Do(a.ctx, home, "workdiary diary add-manual",
		node.ManualParams{Contract: cid, From: monday, To: monday.Add(10 * time.Minute), Memo: "review"})
	if err != nil {
		t.Fatal(err)
	}
	w.take()
	if _, err := node.OpBlur.Do(a.ctx, home, "workdiary diary blur", node.CurateParams{IDs: added.Changed}); err == nil {
		t.Fatal("blur on a contract without blurring: want a refusal")
	}
	if got := w.take(); len(got) != 0 {
		t.Errorf("a refused blur: the window heard %q; want nothing", got)
	}
	if _, err := node.OpMemo.Do(a.ctx, home, "workdiary diary memo", node.CurateParams{IDs: added.Changed, Memo: "code review"}); err != nil {
		t.Fatal(err)
	}
	if got := w.take(); !slices.Equal(got, []string{EventDiaryChanged}) {
		t.Errorf("diary memo through the socket: the window heard %q; want %s", got, EventDiaryChanged)
	}
	if _, err := node.OpApprove.Do(a.ctx, home, "workdiary approve", node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatal(err)
	}
	if got := w.take(); !slices.Equal(got, []string{EventDiaryChanged}) {
		t.Errorf("approve through the socket: the window heard %q; want %s", got, EventDiaryChanged)
	}
}

// Lists reach the window as [] rather than null, so the screens need no
// null checks.
func TestBindingsReturnEmptyLists(t *testing.T) {
	a, _, cid := testApp(t)
	segs, err := a.Diary.List(at(monday), at(monday.Add(time.Hour)), cid)
	if err != nil || segs == nil {
		t.Errorf("Diary.List of an empty hour = %#v, %v; want an empty list", segs, err)
	}
	if _, err := a.Diary.List("monday", at(monday), cid); err == nil {
		t.Error("Diary.List with a bad time: want an error")
	}
	st, err := a.Contracts.SyncStates()
	if err != nil || st == nil {
		t.Errorf("SyncStates = %#v, %v; want a list", st, err)
	}
	res, err := a.Diary.Delete(nil)
	if err != nil || res.Changed == nil {
		t.Errorf("Delete of nothing = %#v, %v; want an empty Changed", res, err)
	}
}

// The window's words for a refusal keep the condition, so the bindings
// and the screens can still tell it apart.
func TestWindowWordsKeepTheCondition(t *testing.T) {
	err := explain(fmt.Errorf("%w: \"Parser\" since 10:00, in workdiary track", node.ErrAlreadyTracking))
	if !errors.Is(err, node.ErrAlreadyTracking) || !strings.HasSuffix(err.Error(), "stop it first with Stop") {
		t.Errorf("explain = %v; want the condition kept and what to press", err)
	}
	if plain := errors.New("disk full"); explain(plain) != plain {
		t.Error("explain changed an error nobody acts on")
	}
}

// Shutdown closes the folder only once what the app started on the node
// (the network's start, the socket, the tray's refreshes) has ended, and
// starts nothing more once it has begun.
func TestShutdownWaitsForWhatTheAppStarted(t *testing.T) {
	a, _, _ := testApp(t)
	a.quitting.Store(true) // a quit: no agent is left running
	started, release := make(chan struct{}), make(chan struct{})
	a.goBg(func() {
		close(started)
		<-release
	})
	<-started
	done := make(chan struct{})
	go func() {
		a.Shutdown(context.Background())
		close(done)
	}()
	time.Sleep(50 * time.Millisecond)
	select {
	case <-done:
		t.Fatal("Shutdown closed the folder while a goroutine the app started still ran")
	default:
	}
	close(release)
	<-done
	ran := false
	a.goBg(func() { ran = true })
	a.bg.Wait()
	if ran {
		t.Error("a goroutine started after Shutdown began")
	}
}
