package diary

import (
	"slices"
	"time"
)

// MinuteAt is when minute i of the segment starts.
func (s *Segment) MinuteAt(i int) time.Time { return s.Start.Add(time.Duration(i) * time.Minute) }

// MarkIdlePending marks the recorded minutes in [from, to) as waiting for
// the idle question and reports whether any mark is new.
func (s *Segment) MarkIdlePending(from, to time.Time) bool {
	changed := false
	for _, m := range s.Minutes {
		if at := s.MinuteAt(m.Index); !at.Before(from) && at.Before(to) && !slices.Contains(s.IdlePending, m.Index) {
			s.IdlePending = append(s.IdlePending, m.Index)
			changed = true
		}
	}
	slices.Sort(s.IdlePending)
	return changed
}

// SettleIdle applies the idle question's answer to the minutes in
// [from, to): kept, they become ordinary minutes; discarded, they leave
// the segment. It returns how many minutes were removed.
func (s *Segment) SettleIdle(from, to time.Time, keep bool) int {
	in := func(i int) bool { at := s.MinuteAt(i); return !at.Before(from) && at.Before(to) }
	s.IdlePending = slices.DeleteFunc(s.IdlePending, in)
	if len(s.IdlePending) == 0 {
		s.IdlePending = nil
	}
	if keep {
		return 0
	}
	n := len(s.Minutes)
	s.Minutes = slices.DeleteFunc(s.Minutes, func(m Minute) bool { return in(m.Index) })
	return n - len(s.Minutes)
}

// IdleSpans joins the idle-pending minutes of segments (in time order)
// into spans of consecutive minutes: the idle questions still open.
func IdleSpans(segs []Segment) [][2]time.Time {
	var spans [][2]time.Time
	for i := range segs {
		for _, idx := range segs[i].IdlePending {
			at := segs[i].MinuteAt(idx)
			if n := len(spans); n > 0 && spans[n-1][1].Equal(at) {
				spans[n-1][1] = at.Add(time.Minute)
				continue
			}
			spans = append(spans, [2]time.Time{at, at.Add(time.Minute)})
		}
	}
	return spans
}
