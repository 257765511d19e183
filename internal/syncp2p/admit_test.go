package syncp2p

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/p2p"
)

// A pushed round that finds every slot taken waits, told so while it
// waits, and goes through whole once a slot frees; the slot is returned
// after the round.
func TestRoundWaitsForASlot(t *testing.T) {
	defer func(d time.Duration) { waitEvery = d }(waitEvery)
	waitEvery = 50 * time.Millisecond
	w := newWorld(t, "tcp", defaultTerms())
	w.emp.svc.MaxRounds = 1
	slots := w.emp.svc.roundSlots()
	if !slots.TryAcquire(1) {
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
	slots.Release(1)
	if err := <-pushed; err != nil {
		t.Fatalf("push after the wait: %v", err)
	}
	w.checkSame(t)
	if !slots.TryAcquire(1) {
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
	if !w.emp.svc.roundSlots().TryAcquire(1) {
		t.Fatal("a fresh service has no free slot")
	}
	w.chain.add(2)
	w.serve(w.chain.bytes())
	if err := w.push(); !errors.Is(err, ErrUnavailable) {
		t.Fatalf("push to an employer that keeps saying wait: %v; want ErrUnavailable", err)
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
	if !w.emp.svc.roundSlots().TryAcquire(1) {
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
