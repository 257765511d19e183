package syncp2p

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/p2p"
	"golang.org/x/sync/semaphore"
)

// A pushed round that finds every slot taken waits, told so while it
// waits, and goes through whole once a slot frees; the slot is returned
// after the round.
func TestRoundWaitsForASlot(t *testing.T) {
	defer func(d time.Duration) { waitEvery = d }(waitEvery)
	waitEvery = 50 * time.Millisecond
	w := newWorld(t, "tcp", defaultTerms())
	w.emp.svc.MaxRounds = 1
	held, ok := w.emp.svc.gate().try("someone else")
	if !ok {
		t.Fatal("a fresh service has no free slot")
	}
	w.chain.add(5)
	w.serve(w.chain.bytes())
	var mu sync.Mutex
	var stages []string
	pushed := make(chan error, 1)
	go func() {
		pushed <- w.con.svc.Push(w.ctx, w.emp.id, w.id, func(p Progress) {
			mu.Lock()
			defer mu.Unlock()
			if len(stages) == 0 || stages[len(stages)-1] != p.Stage {
				stages = append(stages, p.Stage)
			}
		})
	}()
	eventually(t, "the contractor hears it waits", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(stages) > 0 && stages[0] == "waiting"
	})
	select {
	case err := <-pushed:
		t.Fatalf("the push ended while every slot was taken: %v", err)
	case <-time.After(5 * waitEvery):
	}
	held()
	if err := <-pushed; err != nil {
		t.Fatalf("push after the wait: %v", err)
	}
	w.checkSame(t)
	if _, ok := w.emp.svc.gate().try("someone else"); !ok {
		t.Fatal("the round's slot was not returned")
	}
}

// A contractor waits a bounded number of times: an employer that keeps
// saying wait fails the round as unavailable, to be retried later.
func TestRoundWaitsBounded(t *testing.T) {
	defer func(d time.Duration) { waitEvery = d }(waitEvery)
	waitEvery = time.Millisecond
	w := newWorld(t, "tcp", defaultTerms())
	w.emp.svc.MaxRounds = 1
	if _, ok := w.emp.svc.gate().try("someone else"); !ok {
		t.Fatal("a fresh service has no free slot")
	}
	w.chain.add(2)
	w.serve(w.chain.bytes())
	if err := w.push(); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("push to an employer that keeps saying wait: %v; want ErrUnavailable", err)
	}
}

// One peer holds at most its share of the slots; others still get in,
// and a peer's slots are forgotten once it holds none.
func TestGatePerPeer(t *testing.T) {
	g := &gate{all: semaphore.NewWeighted(3), perPeer: 2, peers: map[peer.ID]*peerSlots{}}
	r1, ok1 := g.try("p")
	r2, ok2 := g.try("p")
	_, ok3 := g.try("p")
	if !ok1 || !ok2 || ok3 {
		t.Fatalf("peer p's tries: %v %v %v; want two slots and no third", ok1, ok2, ok3)
	}
	rq, ok := g.try("q")
	if !ok {
		t.Fatal("another peer found no slot while p held its share")
	}
	if _, ok := g.try("r"); ok {
		t.Fatal("a slot beyond the total was given")
	}
	r1()
	r1() // a second release changes nothing
	r2()
	rq()
	if len(g.peers) != 0 {
		t.Errorf("peers kept after every slot was returned: %d", len(g.peers))
	}
	if !g.all.TryAcquire(3) {
		t.Error("not every slot was returned")
	}
}

// A contractor that does not say it understands a wait (an older
// release) is never sent one: it is waited for silently, within its read
// deadline, then told the employer is unavailable for now.
func TestOlderContractorNotSentWaits(t *testing.T) {
	defer func(d time.Duration) { waitEvery = d }(waitEvery)
	waitEvery = 50 * time.Millisecond
	w := newWorld(t, "tcp", defaultTerms())
	w.emp.svc.MaxRounds = 1
	if _, ok := w.emp.svc.gate().try("someone else"); !ok {
		t.Fatal("a fresh service has no free slot")
	}
	raw, err := w.con.svc.Host.Open(w.ctx, w.emp.id, p2p.ProtoSync)
	if err != nil {
		t.Fatal(err)
	}
	st := p2p.NewStream(w.ctx, raw)
	defer st.Reset()
	if err := writeMsg(st, Msg{Type: tHello, Version: Version, Contract: w.id[:]}); err != nil {
		t.Fatal(err)
	}
	m, err := readMsg(st)
	if err != nil || m.Type != tReject || m.Code != codeOf(ErrUnavailable) {
		t.Fatalf("an older contractor's round while busy: %+v %v; want one reject, unavailable, and no wait", m, err)
	}
}
