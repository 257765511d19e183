package contract

import (
	"fmt"
	"strings"
	"sync"
	"time"
	// The embedded IANA database is the fallback where the system has none
	// (Windows, minimal containers), so an offer's week zone resolves, and
	// verify answers, on every machine, offline.
	_ "time/tzdata"
)

// maxZoneLen bounds a week zone name; the longest IANA name is 32 bytes.
const maxZoneLen = 64

// zones caches loaded week zones: time.LoadLocation reads the database on
// every call, and the tracker asks for week starts every minute. It holds
// at most the database's few hundred names, as only loadable ones are kept.
var zones sync.Map // name → *time.Location

// NormalizeWeekZone turns what a person types for a week zone into the
// name an offer carries: "" for UTC (so offers in UTC keep the bytes and
// meaning they had before week zones), else a checked IANA name.
func NormalizeWeekZone(name string) (string, error) {
	name = strings.TrimSpace(name)
	if name == "" || name == "UTC" {
		return "", nil
	}
	if _, err := loadZone(name); err != nil {
		return "", fmt.Errorf("%w: %v", ErrInvalidTerms, err)
	}
	return name, nil
}

// loadZone returns the location an offer's week zone names; "" is UTC.
// UTC spelled out is refused, as it has one encoding (no key 21), and so
// are "Local" and file paths, which would mean something different on
// every machine.
func loadZone(name string) (*time.Location, error) {
	if name == "" {
		return time.UTC, nil
	}
	if l, ok := zones.Load(name); ok {
		return l.(*time.Location), nil
	}
	if name == "UTC" {
		return nil, fmt.Errorf("week zone UTC is written by leaving the week zone out")
	}
	if !zoneNameOK(name) {
		return nil, fmt.Errorf("week zone %q is not an IANA time zone name such as Europe/Berlin", truncate(name, maxZoneLen))
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("week zone %q is not a time zone this program knows (IANA names such as Europe/Berlin)", name)
	}
	zones.Store(name, loc)
	return loc, nil
}

// zoneNameOK accepts the spelling of IANA names (Area/Place_Name,
// Etc/GMT+5: each part starts with a capital) and nothing that reads as a
// path or means something different on each machine: "Local", the
// database's "localtime" and "posixrules" files, its "right/" and "posix/"
// copies, and other spellings a case-insensitive disk would load
// ("europe/berlin") but another machine would not.
func zoneNameOK(name string) bool {
	if len(name) > maxZoneLen || name == "Local" {
		return false
	}
	for part := range strings.SplitSeq(name, "/") {
		if part == "" || part[0] < 'A' || part[0] > 'Z' {
			return false
		}
		for _, r := range part {
			ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("_-+", r)
			if !ok {
				return false
			}
		}
	}
	return true
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	return s[:n] + "…"
}

// Weeks are a contract's weeks: each begins at the week start's day and
// minute in the week zone's local time, so a week that holds a daylight
// saving change lasts 167 or 169 hours. Every rule that needs a week's
// bounds (tracker limit, close deadline, timesheet, verify, amendments)
// asks Weeks, so both parties and the verifier count the same weeks.
type Weeks struct {
	start WeekStart
	zone  *time.Location
	name  string
}

// Weeks are t's weeks. Terms that passed their checks always name a
// zone that loads; unchecked ones with a bad zone count in UTC.
func (t Terms) Weeks() Weeks {
	loc, err := loadZone(t.WeekZone)
	if err != nil {
		loc = time.UTC
	}
	return Weeks{start: t.WeekStart, zone: loc, name: t.WeekZone}
}

// Zone is where the weeks are counted.
func (w Weeks) Zone() *time.Location {
	if w.zone == nil {
		return time.UTC
	}
	return w.zone
}

// ZoneName is the week zone's IANA name, "UTC" by default.
func (w Weeks) ZoneName() string {
	if w.name == "" {
		return "UTC"
	}
	return w.name
}

// String reads like "Monday 00:00 Europe/Berlin".
func (w Weeks) String() string { return w.start.String() + " " + w.ZoneName() }

// Begin returns the start (in UTC) of the contract week that contains t:
// the latest week start not after t.
func (w Weeks) Begin(t time.Time) time.Time {
	l := t.In(w.Zone())
	y, m, d := l.Date()
	d -= (int(l.Weekday()) + 6) % 7 // back to the local Monday
	begin := w.StartOf(y, m, d)
	if begin.After(t) {
		return w.StartOf(y, m, d-7)
	}
	// A start late in the week pushed past a local Monday by a daylight
	// saving gap can leave t in the following week.
	if next := w.StartOf(y, m, d+7); !next.After(t) {
		return next
	}
	return begin
}

// Next is the start of the week after the one that starts at week. Eight
// days on lies inside the next week however long DST makes this one.
func (w Weeks) Next(week time.Time) time.Time { return w.Begin(week.Add(8 * 24 * time.Hour)) }

// Prev is the start of the week before the one that starts at week.
func (w Weeks) Prev(week time.Time) time.Time { return w.Begin(week.Add(-6 * 24 * time.Hour)) }

// IsStart reports whether t is the start of one of the weeks.
func (w Weeks) IsStart(t time.Time) bool { return w.Begin(t).Equal(t) }

// StartOf is the start (in UTC) of the week whose local Monday is year,
// month, monday (normalised like time.Date). A start that falls in a
// daylight saving gap is moved on by the gap, as time.Date does.
func (w Weeks) StartOf(year int, month time.Month, monday int) time.Time {
	days := int(w.start) / (24 * 60)
	return time.Date(year, month, monday+days, 0, w.start.Minute(), 0, 0, w.Zone()).UTC()
}

// ISOWeek names the week that starts at week after the ISO 8601 week of
// its local date, so "2026-W49" is the same week in every zone's terms.
func (w Weeks) ISOWeek(week time.Time) (year, num int) { return week.In(w.Zone()).ISOWeek() }
