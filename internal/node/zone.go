package node

import (
	"time"
)

// Zone is the time zone days are counted in for a person: the display
// zone of the settings, else the computer's own (TZ, /etc/localtime).
// Stored times stay UTC; only "today" and the like read it.
func (n *Node) Zone() *time.Location {
	if name := n.Config().DisplayZone; name != "" {
		if loc, err := time.LoadLocation(name); err == nil {
			return loc
		}
	}
	return time.Local
}

// DayStart is the start of the day that holds t in loc: local midnight,
// which is 23 or 25 hours from the next one across a change of daylight
// saving time.
func DayStart(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	return time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc)
}
