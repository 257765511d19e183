package ledger

import (
	"crypto/ed25519"
	"runtime"
	"sync"
	"sync/atomic"
)

// opened is one entry of a batch after VerifyEntry: decoded, or why not.
type opened struct {
	s   Signed
	err error
}

// entriesPerWorker is the smallest share of a batch worth a goroutine.
const entriesPerWorker = 16

// openAll runs VerifyEntry over a batch on every core: signatures are the
// bulk of verifying a batch, and unlike the chain rules they do not depend
// on order. The results keep the batch's order.
func openAll(entries [][]byte, contractor ed25519.PublicKey) []opened {
	out := make([]opened, len(entries))
	onEveryCore(len(entries), func(i int) { out[i].s, out[i].err = VerifyEntry(entries[i], contractor) })
	return out
}

// onEveryCore calls do(i) for i in [0, n), spread over the cores when n
// is worth it, and returns once every call has.
func onEveryCore(n int, do func(i int)) { onCores(runtime.GOMAXPROCS(0), n, do) }

// onAllButOneCore is onEveryCore for work that overlaps other work on
// the critical path (a batch's signatures while its images are fetched):
// it leaves that work a core, so it is not queued behind this. It also
// steps aside every yieldEvery calls: Go's scheduler lets a busy
// goroutine run for up to 10 ms before another takes its core, and the
// critical path's goroutines (the connection's reader, the image
// requests) wake often for a moment each. On two cores the first image
// was asked for 1.5 ms after the stream opened instead of 2.1 (medians
// of 128 rounds of P4, docs/architecture.md).
func onAllButOneCore(n int, do func(i int)) {
	onCores(runtime.GOMAXPROCS(0)-1, n, func(i int) {
		do(i)
		if i%yieldEvery == yieldEvery-1 {
			runtime.Gosched()
		}
	})
}

// yieldEvery is how many calls onAllButOneCore makes between steps
// aside: four signatures, about a quarter of a millisecond.
const yieldEvery = 4

func onCores(cores, n int, do func(i int)) {
	workers := min(cores, n/entriesPerWorker)
	if workers <= 1 {
		for i := range n {
			do(i)
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for i := int(next.Add(1) - 1); i < n; i = int(next.Add(1) - 1) {
				do(i)
			}
		})
	}
	wg.Wait()
}
