package clock

import (
	"fmt"
	"os"
	"strconv"
	"time"
)

// The demo clock's environment: the desktop app and the resident agent it
// leaves behind read the same clock, so a demo or a test can run a day in
// minutes across a window closing and opening.
const (
	// EnvSpeed runs the clock N times faster than the wall clock.
	EnvSpeed = "WORKDIARY_CLOCK_SPEED"
	// EnvBack starts it that long in the past (a duration such as 1h).
	EnvBack = "WORKDIARY_CLOCK_BACK"
	// EnvAt starts it at this instant (RFC 3339) instead: where the
	// process that handed the folder over had got to.
	EnvAt = "WORKDIARY_CLOCK_AT"
)

// FromEnv is the wall clock, or the fast one EnvSpeed asks for, starting
// at EnvAt, else EnvBack in the past.
func FromEnv() (Clock, error) {
	speed := os.Getenv(EnvSpeed)
	if speed == "" {
		return Real{}, nil
	}
	n, err := strconv.ParseFloat(speed, 64)
	if err != nil || n <= 0 {
		return nil, fmt.Errorf("%s=%q: want a positive number", EnvSpeed, speed)
	}
	if at := os.Getenv(EnvAt); at != "" {
		t, err := time.Parse(time.RFC3339Nano, at)
		if err != nil {
			return nil, fmt.Errorf("%s=%q: want an RFC 3339 time: %w", EnvAt, at, err)
		}
		return NewScaled(t, n), nil
	}
	back, err := time.ParseDuration(os.Getenv(EnvBack))
	if err != nil {
		return nil, fmt.Errorf("%s=%q: want a duration such as 1h: %w", EnvBack, os.Getenv(EnvBack), err)
	}
	return NewScaled(time.Now().Add(-back), n), nil
}

// IsFast reports whether c is a demo clock, whose time a process hands on
// (EnvAt) to the one that takes its folder.
func IsFast(c Clock) bool {
	_, ok := c.(*Scaled)
	return ok
}
