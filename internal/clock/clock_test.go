package clock_test

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/clock/clocktest"
)

func TestScaledRunsFaster(t *testing.T) {
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	c := clock.NewScaled(start, 600)
	time.Sleep(20 * time.Millisecond)
	got := c.Now().Sub(start)
	if got < 10*time.Second || got > 10*time.Minute {
		t.Fatalf("after 20ms at 600x the clock moved %v, want about 12s", got)
	}
	select {
	case <-c.After(6 * time.Second): // 10ms of wall time
	case <-time.After(5 * time.Second):
		t.Fatal("scaled After(6s) did not fire within 5s of wall time")
	}
}

func TestFakeAdvanceFiresDueTimers(t *testing.T) {
	f := clocktest.New(time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC))
	early, late := f.After(time.Minute), f.After(time.Hour)
	f.Advance(2 * time.Minute)
	select {
	case <-early:
	default:
		t.Fatal("timer due after 1m did not fire after advancing 2m")
	}
	select {
	case <-late:
		t.Fatal("timer due after 1h fired after advancing 2m")
	default:
	}
	if got, want := f.Waiters(), 1; got != want {
		t.Fatalf("Waiters() = %d, want %d", got, want)
	}
}
