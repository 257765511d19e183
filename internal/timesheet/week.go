package timesheet

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

// Week is one contract week: it begins at the contract's week start inside
// the ISO 8601 week it is named after, and lasts seven days. With the
// default week start (Monday 00:00 UTC) it is exactly the ISO week.
type Week struct {
	Year, Number int       // the ISO week's year and number: 2026, 48
	Start        time.Time // inclusive, UTC
	End          time.Time // exclusive: Start + 7 days
}

// ParseWeek reads "2026-W48" and returns the contract week that begins in
// that ISO week at ws.
func ParseWeek(s string, ws contract.WeekStart) (Week, error) {
	y, w, ok := strings.Cut(s, "-W")
	year, err1 := strconv.Atoi(y)
	num, err2 := strconv.Atoi(w)
	if !ok || err1 != nil || err2 != nil || len(y) != 4 || len(w) != 2 || year < 1970 {
		return Week{}, fmt.Errorf("%w %q: want an ISO week such as 2026-W48", ErrBadWeek, s)
	}
	if num < 1 || num > isoWeeksIn(year) {
		return Week{}, fmt.Errorf("%w %q: %d has weeks 01 to %d", ErrBadWeek, s, year, isoWeeksIn(year))
	}
	start := isoMonday(year, num).Add(time.Duration(ws) * time.Minute)
	return Week{Year: year, Number: num, Start: start, End: start.AddDate(0, 0, 7)}, nil
}

// WeekOf returns the contract week that contains t.
func WeekOf(t time.Time, ws contract.WeekStart) Week {
	start := ws.Begin(t)
	year, num := start.ISOWeek()
	return Week{Year: year, Number: num, Start: start, End: start.AddDate(0, 0, 7)}
}

// String is the ISO form, "2026-W48".
func (w Week) String() string { return fmt.Sprintf("%04d-W%02d", w.Year, w.Number) }

// Contains reports whether t lies in the week.
func (w Week) Contains(t time.Time) bool { return !t.Before(w.Start) && t.Before(w.End) }

// Dates lists the UTC dates the week touches: seven, or eight when the
// week does not start at midnight UTC.
func (w Week) Dates() []string {
	var out []string
	for d := midnight(w.Start); d.Before(w.End); d = d.AddDate(0, 0, 1) {
		out = append(out, d.Format(time.DateOnly))
	}
	return out
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

func midnight(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}
