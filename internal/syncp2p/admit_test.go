package syncp2p

import (
	"errors"
	"sync"
	"testing"
	"time"
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
