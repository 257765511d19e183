package tracker

import (
	"testing"
	"time"
)

// A contract week counted in a zone with daylight saving time ends where
// the next begins, 169 hours on in New York's week of 1 November 2026, so
// the weekly limit reads the whole week's time.
func TestWeekEndAcrossDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Fatal(err)
	}
	mondayNY := func(at time.Time) time.Time {
		l := at.In(ny)
		day := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, ny)
		return day.AddDate(0, 0, -((int(day.Weekday()) + 6) % 7)).UTC()
	}
	p := Policy{WeekStart: mondayNY}.withDefaults()
	start := p.WeekStart(time.Date(2026, 10, 28, 12, 0, 0, 0, time.UTC))
	if want := time.Date(2026, 10, 26, 4, 0, 0, 0, time.UTC); !start.Equal(want) {
		t.Fatalf("week start %s, want %s", start, want)
	}
	if end := p.weekEnd(start); end.Sub(start) != 169*time.Hour {
		t.Errorf("week end %s, %s after its start; want 169h", end, end.Sub(start))
	}
	if end := (Policy{}).withDefaults().weekEnd(start.Add(-4 * time.Hour)); end.Sub(start.Add(-4*time.Hour)) != 168*time.Hour {
		t.Errorf("the default week (Monday 00:00 UTC) ends %s", end)
	}
}
