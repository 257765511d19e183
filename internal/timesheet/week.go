package timesheet

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

// Week is one contract week: it begins at the contract's week start, in
// the contract's week zone, inside the ISO 8601 week (of that zone's
// dates) it is named after, and ends where the next begins: seven days,
// give or take the hour a daylight saving change adds or takes. With the
// default week start (Monday 00:00 UTC) it is exactly the ISO week.
type Week struct {
	Year, Number int            // the ISO week's year and number: 2026, 48
	Start        time.Time      // inclusive, UTC
	End          time.Time      // exclusive: the next week's Start
	Zone         *time.Location // the week zone, whose dates Dates lists; nil is UTC
}

// ParseWeek reads "2026-W48" and returns the contract week that begins in
// that ISO week.
func ParseWeek(s string, weeks contract.Weeks) (Week, error) {
	y, w, ok := strings.Cut(s, "-W")
	year, err1 := strconv.Atoi(y)
	num, err2 := strconv.Atoi(w)
	if !ok || err1 != nil || err2 != nil || len(y) != 4 || len(w) != 2 || year < 1970 {
		return Week{}, fmt.Errorf("%w %q: want an ISO week such as 2026-W48", ErrBadWeek, s)
	}
	if num < 1 || num > isoWeeksIn(year) {
		return Week{}, fmt.Errorf("%w %q: %d has weeks 01 to %d", ErrBadWeek, s, year, isoWeeksIn(year))
	}
	monday := isoMonday(year, num)
	start := weeks.StartOf(monday.Year(), monday.Month(), monday.Day())
	return Week{Year: year, Number: num, Start: start, End: weeks.Next(start), Zone: weeks.Zone()}, nil
}

// WeekOf returns the contract week that contains t.
func WeekOf(t time.Time, weeks contract.Weeks) Week {
	start := weeks.Begin(t)
	year, num := weeks.ISOWeek(start)
	return Week{Year: year, Number: num, Start: start, End: weeks.Next(start), Zone: weeks.Zone()}
}

// String is the ISO form, "2026-W48".
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Number) }

// Contains reports whether t lies in the week.
func (w Week) Contains(t time.Time) bool { return !t.Before(w.Start) && t.Before(w.End) }

// Dates lists the dates the week touches in its zone: seven, or eight
// when the week does not start at local midnight.
func (w Week) Dates() []string {
	var out []string
	for d := midnight(w.Start.In(w.zone())); d.Before(w.End); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
}

// Date is the date of t in the week's zone, as Dates spells it.
func (w Week) Date(t time.Time) string { return t.In(w.zone()).Format(time.DateOnly) }

func (w Week) zone() *time.Location {
	if w.Zone == nil {
		return time.UTC
	}
	return w.Zone
}

// isoMonday is 00:00 UTC on the Monday of ISO week num of year. Week 1 is
// the week with the year's first Thursday, i.e. the one containing 4 January.
func isoMonday(year, num int) time.Time {
	jan4 := time.Date(year, time.January, 4, 0, 0, 0, 0, time.UTC)
	week1 := jan4.AddDate(0, 0, -((int(jan4.Weekday()) + 6) % 7))
	return week1.AddDate(0, 0, 7*(num-1))
}

// isoWeeksIn is 53 when 28 December falls in week 53, else 52.
func isoWeeksIn(year int) int {
	_, w := time.Date(year, time.December, 28, 0, 0, 0, 0, time.UTC).ISOWeek()
	return w
}

// midnight is the start of t's date in t's location.
func midnight(t time.Time) time.Time {
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, t.Location())
}

// zoneNote says which zone the weeks and days are counted in when it is
// not UTC, so a reader of the UTC bounds knows why they are not midnight.
func (ts Timesheet) zoneNote() string {
	if ts.WeekZone == "" {
		return ""
	}
	return "; weeks and days in " + ts.WeekZone
}
