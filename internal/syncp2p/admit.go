package syncp2p

import (
	"context"
	"fmt"
	"sync"
	"time"

	"github.com/libp2p/go-libp2p/core/peer"
	"github.com/workdiary/workdiary/internal/p2p"
	"golang.org/x/sync/semaphore"
)

// MaxRoundsAtOnce is how many rounds an employer's node receives at
// once (Service.MaxRounds); the others wait before their have, holding a
// stream, a goroutine and the small hello. The bulk of a round, its
// images, flows on a blob stream the employer opens after the first
// batch, and each such stream may fill its muxer window (256 KiB, which
// yamux allows no smaller) before the round reads a byte of it: a
// thousand contractors syncing at once (P8) would hold a thousand
// windows and the resource manager's reservation of each. Admitting 32
// bounds that to 8 MiB and still keeps both cores busy: a round spends
// most of its time hashing and storing images, and 32 of them queue far
// more images than the disk takes at once (MaxImagesInFlight). Measured
// (P8, 1000 contractors with a day each, all at once): admitting all,
// 247 rounds failed on the resource manager's budget and the employer
// peaked at 741 MB; admitting 32, none failed, peak 365 MB.
const MaxRoundsAtOnce = 32

// MaxRoundsPerPeer is how many of those slots one peer may hold (one
// round per contract, a few contracts with the same employer): a
// contractor that opens rounds and lets them idle must not keep the
// others waiting.
const MaxRoundsPerPeer = 8

// waitEvery is how often a waiting round tells its contractor, so that
// the contractor's read of the have, bounded by p2p.DefaultTimeout, does
// not expire. Wall-clock on purpose, like every network deadline.
var waitEvery = p2p.DefaultTimeout / 3

// MaxWaits bounds the waits a contractor accepts in one round (ten
// minutes at waitEvery): an employer that says wait forever is not
// waited for forever; the round fails as unavailable and the next one
// retries.
const MaxWaits = 60

// gate admits rounds: at most all at once, at most perPeer of one peer.
type gate struct {
	all     *semaphore.Weighted
	perPeer int64
	mu      sync.Mutex
	peers   map[peer.ID]*peerSlots
}

// peerSlots are one peer's slots, kept while any of its rounds holds or
// waits for one.
type peerSlots struct {
	sem   *semaphore.Weighted
	users int
}

func (s *Service) gate() *gate {
	s.gateOnce.Do(func() {
		if s.MaxRounds <= 0 {
			s.MaxRounds = MaxRoundsAtOnce
		}
		s.rounds = &gate{all: semaphore.NewWeighted(int64(s.MaxRounds)), perPeer: MaxRoundsPerPeer, peers: map[peer.ID]*peerSlots{}}
	})
	return s.rounds
}

func (g *gate) join(p peer.ID) *peerSlots {
	g.mu.Lock()
	defer g.mu.Unlock()
	ps := g.peers[p]
	if ps == nil {
		ps = &peerSlots{sem: semaphore.NewWeighted(g.perPeer)}
		g.peers[p] = ps
	}
	ps.users++
	return ps
}

func (g *gate) leave(p peer.ID, ps *peerSlots) {
	g.mu.Lock()
	defer g.mu.Unlock()
	if ps.users--; ps.users == 0 {
		delete(g.peers, p)
	}
}

// try takes a slot for p if one is free now.
func (g *gate) try(p peer.ID) (func(), bool) {
	ps := g.join(p)
	if ps.sem.TryAcquire(1) {
		if g.all.TryAcquire(1) {
			return g.releaser(p, ps), true
		}
		ps.sem.Release(1)
	}
	g.leave(p, ps)
	return nil, false
}

// wait takes a slot for p, waiting for one until ctx ends. Waiters are
// served in the order they came.
func (g *gate) wait(ctx context.Context, p peer.ID) (func(), error) {
	ps := g.join(p)
	if err := ps.sem.Acquire(ctx, 1); err != nil {
		g.leave(p, ps)
		return nil, err
	}
	if err := g.all.Acquire(ctx, 1); err != nil {
		ps.sem.Release(1)
		g.leave(p, ps)
		return nil, err
	}
	return g.releaser(p, ps), nil
}

func (g *gate) releaser(p peer.ID, ps *peerSlots) func() {
	return sync.OnceFunc(func() {
		g.all.Release(1)
		ps.sem.Release(1)
		g.leave(p, ps)
	})
}

// admit waits, if no slot is free, until the round may be received, and
// returns what gives its slot back. A free slot admits at once, adding
// no latency. A waiting round tells its contractor to wait every
// waitEvery, and stops waiting when that fails (the contractor left). A
// contractor whose hello does not say it understands a wait (no seq: an
// older release) is waited for silently, up to twice waitEvery, within
// its read deadline; then the round is refused as unavailable, and its
// next round retries.
func (s *Service) admit(ctx context.Context, st *p2p.Stream, hello Msg) (func(), error) {
	g := s.gate()
	if release, ok := g.try(st.Peer()); ok {
		return release, nil
	}
	if hello.Seq == 0 {
		wctx, cancel := context.WithTimeout(ctx, 2*waitEvery)
		defer cancel()
		release, err := g.wait(wctx, st.Peer())
		if err != nil {
			return nil, sendErr(st, fmt.Errorf("%w: busy with other rounds, try again later", ErrUnavailable))
		}
		return release, nil
	}
	wctx, cancel := context.WithCancel(ctx)
	defer cancel()
	stop, told := make(chan struct{}), make(chan error, 1)
	go func() {
		t := time.NewTicker(waitEvery)
		defer t.Stop()
		for {
			select {
			case <-stop:
				told <- nil
				return
			case <-t.C:
				if err := writeMsg(st, Msg{Type: tWait}); err != nil {
					told <- err
					cancel()
					return
				}
			}
		}
	}()
	release, err := g.wait(wctx, st.Peer())
	close(stop)
	werr := <-told
	switch {
	case err == nil && werr != nil:
		release()
		return nil, werr
	case werr != nil:
		return nil, werr
	case err != nil:
		return nil, fmt.Errorf("wait for a free round: %w", err)
	}
	return release, nil
}
