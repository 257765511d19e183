package syncp2p

import (
	"context"
	"fmt"
	"sync"
	"time"

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

// waitEvery is how often a waiting round tells its contractor, so that
// the contractor's read of the have, bounded by p2p.DefaultTimeout, does
// not expire. Wall-clock on purpose, like every network deadline.
var waitEvery = p2p.DefaultTimeout / 3

// MaxWaits bounds the waits a contractor accepts in one round (ten
// minutes at waitEvery): an employer that says wait forever is not
// waited for forever; the round fails as unavailable and the next one
// retries.
const MaxWaits = 60

// roundSlots are the rounds being received, at most MaxRounds. One peer
// holds at most p2p.MaxStreamsPerPeer of them: the host closes a peer's
// oldest stream past that, so a contractor that opens rounds and leaves
// them idle cannot keep the slots from everyone else.
func (s *Service) roundSlots() *semaphore.Weighted {
	s.roundsOnce.Do(func() {
		if s.MaxRounds <= 0 {
			s.MaxRounds = MaxRoundsAtOnce
		}
		s.rounds = semaphore.NewWeighted(int64(s.MaxRounds))
	})
	return s.rounds
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
	slots := s.roundSlots()
	release := sync.OnceFunc(func() { slots.Release(1) })
	if slots.TryAcquire(1) {
		return release, nil
	}
	if hello.Seq == 0 {
		wctx, cancel := context.WithTimeout(ctx, 2*waitEvery)
		defer cancel()
		if err := slots.Acquire(wctx, 1); err != nil {
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
	err := slots.Acquire(wctx, 1)
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
