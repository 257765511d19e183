package clock

import "time"

// Clock is what every time-dependent part of Workdiary reads instead of
// calling time.Now directly.
type Clock interface {
	Now() time.Time
	// After returns a channel that receives once d has passed on this clock.
	After(d time.Duration) <-chan time.Time
}

// Real is the wall clock.
type Real struct{}

// Now returns the current wall-clock time in UTC.
func (Real) Now() time.Time { return time.Now().UTC() }

// After waits on the wall clock.
func (Real) After(d time.Duration) <-chan time.Time { return time.After(d) }

// Scaled runs Speed times faster than the wall clock. It starts at Start and
// its time at the wall-clock instant it was created is Start. It exists for
// `--clock-speed`: a demo records an hour in a minute, starting in the past
// so that the run ends at the present moment.
type Scaled struct {
	start time.Time
	base  time.Time
	speed float64
}

// NewScaled returns a clock that reads start now and advances speed times
// faster than the wall clock.
func NewScaled(start time.Time, speed float64) *Scaled {
	if speed <= 0 {
		speed = 1
	}
	return &Scaled{start: start.UTC(), base: time.Now(), speed: speed}
}

// Now returns the scaled time.
func (s *Scaled) Now() time.Time {
	elapsed := time.Since(s.base)
	return s.start.Add(time.Duration(float64(elapsed) * s.speed))
}

// After waits d of scaled time, which is d/speed of wall time.
func (s *Scaled) After(d time.Duration) <-chan time.Time {
	wall := time.Duration(float64(d) / s.speed)
	ch := make(chan time.Time, 1)
	time.AfterFunc(wall, func() { ch <- s.Now() })
	return ch
}
