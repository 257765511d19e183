//go:build e2e

package e2e

import (
	"math/rand/v2"
	"os"
	"strconv"
	"testing"
	"time"
)

// soak reports whether the long versions run: WORKDIARY_SOAK=1, which
// `make soak` sets.
func soak() bool { return os.Getenv("WORKDIARY_SOAK") == "1" }

// bySoak is short in a normal run and long under WORKDIARY_SOAK=1.
func bySoak[T any](short, long T) T {
	if soak() {
		return long
	}
	return short
}

// faultRand is the source of every random choice of a fault test. The
// seed is logged so a failure can be replayed with WORKDIARY_SEED.
func faultRand(t *testing.T) *rand.Rand {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("WORKDIARY_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("WORKDIARY_SEED=%q: want an unsigned integer", s)
		}
		seed = v
	}
	t.Logf("seed %d (replay with WORKDIARY_SEED=%d), soak %v", seed, seed, soak())
	return rand.New(rand.NewPCG(seed, seed^0x5eed))
}

// between is a random duration in [lo, hi).
func between(r *rand.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(r.Int64N(int64(hi-lo)))
}
