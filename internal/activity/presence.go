package activity

import "time"

// Presence turns a desktop's idle notifications into minutes, where input
// itself cannot be counted (a Wayland compositor keeps it to itself). The
// desktop reports "idle" once the person has given no input for Timeout
// and "resumed" at the next input, so the person was giving input from a
// resume until an idle report less Timeout. A minute that overlaps such a
// span is active: it is reported as Moved, with no counts, and the
// segments say their activity is active minutes from idle notifications.
// The lock screen ends a span when it shows; input on it is not presence.
//
// Like Counter it is not safe for concurrent use; its owner serialises.
type Presence struct {
	Timeout time.Duration
	counter *Counter
	since   time.Time // start of the current active span; zero while idle
	locked  bool      // the lock screen shows: input there is not work
}

// NewPresence starts at start, with the person taken as present until the
// desktop says otherwise (its idle timer starts when it is asked).
func NewPresence(start time.Time, timeout time.Duration) *Presence {
	return &Presence{Timeout: timeout, counter: NewCounter(start), since: start}
}

// Idle records the desktop's idle report at t.
func (p *Presence) Idle(t time.Time) {
	if p.since.IsZero() {
		return
	}
	// A resume marked its own minute already; a span that began at the
	// start with no input before the first idle report marks nothing.
	if last := t.Add(-p.Timeout); last.After(p.since) {
		p.mark(p.since, last)
	}
	p.since = time.Time{}
}

// Resumed records input at t after an idle report. Input while the
// screen is locked (typing the password) is not a return to work.
func (p *Presence) Resumed(t time.Time) {
	if p.locked {
		return
	}
	p.since = t
	p.counter.Add(t, Counts{Moves: 1})
}

// Locked records the lock screen showing from t (locked) or being
// unlocked at t. Locking ends presence at once: the person was there up
// to t, not up to a timeout before it. Unlocking took their input.
func (p *Presence) Locked(t time.Time, locked bool) {
	if !locked {
		p.locked = false
		p.Resumed(t)
		return
	}
	if !p.since.IsZero() && t.After(p.since) {
		p.mark(p.since, t)
	}
	p.since, p.locked = time.Time{}, true
}

// mark counts every minute from from to to (inclusive) as active, except
// those already flushed: Counter would move their input into the next
// minute, which saw none.
func (p *Presence) mark(from, to time.Time) {
	for m := minuteStart(from); !m.After(to); m = m.Add(time.Minute) {
		if m.Before(p.counter.next) {
			continue
		}
		at := m
		if at.Before(from) {
			at = from
		}
		p.counter.Add(at, Counts{Moves: 1})
	}
}

// Current returns the minute holding now as far as it is known: active
// once a resume fell in it.
func (p *Presence) Current(now time.Time) Minute { return p.counter.Current(now) }

// Flush returns every finished minute, as Counter.Flush does. While the
// person is present, the minutes up to now less Timeout are certainly
// active (input came at most Timeout apart, and a minute is longer).
func (p *Presence) Flush(now time.Time) []Minute {
	if !p.since.IsZero() {
		if sure := now.Add(-p.Timeout); sure.After(p.since) {
			p.mark(p.since, sure)
			p.since = sure
		}
	}
	return p.counter.Flush(now)
}
