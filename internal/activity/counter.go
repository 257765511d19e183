package activity

import "time"

// DefaultIdleThreshold is how long without input counts as idle unless the
// user configured otherwise.
const DefaultIdleThreshold = 10 * time.Minute

// Counter accumulates inputs into per-minute buckets. It is not safe for
// concurrent use; the owner (internal/input's Source) serialises access.
//
// Flush hands out every minute from the counter's start on, including
// minutes without input, so a consumer sees an explicit inactive minute
// rather than having to infer one from a gap.
type Counter struct {
	started   time.Time // when counting began: the idle span before any input
	next      time.Time // start of the first minute not yet flushed
	buckets   []Minute  // minutes at or after next that saw input, in order
	lastInput time.Time
}

// NewCounter returns a counter whose first minute is the one holding start.
func NewCounter(start time.Time) *Counter {
	return &Counter{started: start, next: minuteStart(start)}
}

// Record counts one event (or e.N of them). N below 1 counts as one.
func (c *Counter) Record(e Event) {
	n := max(e.N, 1)
	var cs Counts
	switch e.Kind {
	case KeyPress:
		cs.Keys = n
	case Click:
		cs.Clicks = n
	case Scroll:
		cs.Scrolls = n
	case Move:
		cs.Moves = n
	default:
		return
	}
	c.Add(e.At, cs)
}

// Add counts a batch of inputs seen at t. Input timestamped before the
// first unflushed minute (a clock stepped back, or a report that arrived
// after its minute was flushed) goes into that first unflushed minute:
// flushed minutes are already durable and must not change, and dropping
// real input would under-report work.
func (c *Counter) Add(t time.Time, cs Counts) {
	if !cs.Any() {
		return
	}
	if t.After(c.lastInput) {
		c.lastInput = t
	}
	start := minuteStart(t)
	if start.Before(c.next) {
		start = c.next
	}
	i := len(c.buckets)
	for i > 0 && c.buckets[i-1].Start.After(start) {
		i--
	}
	if i > 0 && c.buckets[i-1].Start.Equal(start) {
		c.buckets[i-1].add(cs)
		return
	}
	m := Minute{Start: start}
	m.add(cs)
	c.buckets = append(c.buckets, Minute{})
	copy(c.buckets[i+1:], c.buckets[i:])
	c.buckets[i] = m
}

// Flush returns, in order, every minute that ended at or before now and
// has not been flushed yet, with or without input. The minute in progress
// stays in the counter.
func (c *Counter) Flush(now time.Time) []Minute {
	end := minuteStart(now) // minutes starting before end have ended
	if !c.next.Before(end) {
		return nil
	}
	out := make([]Minute, 0, int(end.Sub(c.next)/time.Minute))
	b := 0
	for m := c.next; m.Before(end); m = m.Add(time.Minute) {
		if b < len(c.buckets) && c.buckets[b].Start.Equal(m) {
			out = append(out, c.buckets[b])
			b++
			continue
		}
		out = append(out, Minute{Start: m})
	}
	c.buckets = append(c.buckets[:0], c.buckets[b:]...)
	c.next = end
	return out
}

// Current returns the input so far in the minute holding now, without
// flushing anything; the UI uses it for a live meter.
func (c *Counter) Current(now time.Time) Minute {
	start := minuteStart(now)
	for _, m := range c.buckets {
		if m.Start.Equal(start) {
			return m
		}
	}
	return Minute{Start: start}
}

// LastInput is the time of the latest input of any kind, mouse movement
// included; zero if there was none yet.
func (c *Counter) LastInput() time.Time { return c.lastInput }

// IdleSince reports whether the user has been idle at now: no input for at
// least threshold (DefaultIdleThreshold when threshold is not positive).
// since is where the idle span starts, the last input, so the whole span
// can be offered for discarding, not just the part after the threshold.
// Before any input the span starts when the counter was created.
func (c *Counter) IdleSince(now time.Time, threshold time.Duration) (since time.Time, idle bool) {
	if threshold <= 0 {
		threshold = DefaultIdleThreshold
	}
	since = c.lastInput
	if since.IsZero() {
		since = c.started
	}
	return since, now.Sub(since) >= threshold
}
