package node_test

import (
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/node"
)

// The team view's "today" is the employer's day in the display zone, on
// both sides of UTC; "this week" stays the contract's week. Contractor 0
// works 09:00–10:40 UTC and contractor 1 10:00–11:40 UTC every weekday.
func TestTeamTodayFollowsTheEmployersDay(t *testing.T) {
	dir := t.TempDir()
	if err := generateYear(dir, 2, t.Logf); err != nil {
		t.Fatal(err)
	}
	week := 5 * yearSegmentsPerDay * 10
	cases := []struct {
		zone  string
		now   time.Time // yearNow is a Friday, 18:00 UTC
		today [2]int
	}{
		{"UTC", yearNow, [2]int{100, 100}},
		{"Asia/Tokyo", yearNow, [2]int{0, 0}},                              // Saturday 03:00 there
		{"Pacific/Kiritimati", yearNow, [2]int{40, 100}},                   // UTC+14: Saturday began Friday 10:00 UTC
		{"UTC", yearNow.Add(8 * time.Hour), [2]int{0, 0}},                  // Saturday 02:00 UTC
		{"America/New_York", yearNow.Add(8 * time.Hour), [2]int{100, 100}}, // still Friday 21:00 there
		{"America/Los_Angeles", yearNow.Add(8 * time.Hour), [2]int{100, 100}},
	}
	for _, c := range cases {
		emp, err := node.Open(filepath.Join(dir, "employer"), "test", clocktest.New(c.now))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := emp.SetSetting(node.SettingParams{Key: config.KeyDisplayZone, Value: c.zone}); err != nil {
			t.Fatal(err)
		}
		rows, err := emp.Team()
		emp.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows {
			i := 0
			if r.Title == yearTitle(1) {
				i = 1
			}
			if r.TodayMinutes != c.today[i] || r.WeekMinutes != week {
				t.Errorf("%s at %s: %s today %d, week %d minutes; want %d and %d", c.zone, c.now.Format(time.RFC3339),
					r.Title, r.TodayMinutes, r.WeekMinutes, c.today[i], week)
			}
		}
	}
}

// A day is 23 or 25 hours long where daylight saving time starts or ends,
// and DayStart finds its midnight all the same.
func TestDayStartAcrossDaylightSaving(t *testing.T) {
	cases := []struct {
		zone          string
		at            string // RFC 3339, UTC
		start, next   string // the day's local midnight and the next, UTC
		lengthInHours float64
	}{
		{"America/New_York", "2026-03-08T15:00:00Z", "2026-03-08T05:00:00Z", "2026-03-09T04:00:00Z", 23},
		{"Europe/Berlin", "2026-10-25T12:00:00Z", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z", 25},
		{"Australia/Sydney", "2026-04-05T03:00:00Z", "2026-04-04T13:00:00Z", "2026-04-05T14:00:00Z", 25},
		{"UTC", "2026-03-08T15:00:00Z", "2026-03-08T00:00:00Z", "2026-03-09T00:00:00Z", 24},
	}
	for _, c := range cases {
		loc, err := time.LoadLocation(c.zone)
		if err != nil {
			t.Fatal(err)
		}
		at, _ := time.Parse(time.RFC3339, c.at)
		start := node.DayStart(at, loc)
		next := node.DayStart(start.Add(36*time.Hour), loc)
		if got := start.UTC().Format(time.RFC3339); got != c.start {
			t.Errorf("%s: day of %s starts %s, want %s", c.zone, c.at, got, c.start)
		}
		if got := next.UTC().Format(time.RFC3339); got != c.next {
			t.Errorf("%s: next day starts %s, want %s", c.zone, got, c.next)
		}
		if got := next.Sub(start).Hours(); got != c.lengthInHours {
			t.Errorf("%s: the day is %v hours, want %v", c.zone, got, c.lengthInHours)
		}
	}
}

// Without a display zone, the computer's zone counts: run this package
// with TZ set (e.g. TZ=Asia/Tokyo, TZ=America/Los_Angeles) and "today"
// moves with it.
func TestZoneDefaultsToTheComputers(t *testing.T) {
	n, err := node.Open(t.TempDir(), "test", clocktest.New(yearNow))
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	if n.Zone() != time.Local {
		t.Fatalf("zone without a setting = %v, want the computer's (%v)", n.Zone(), time.Local)
	}
	if _, err := n.SetSetting(node.SettingParams{Key: config.KeyDisplayZone, Value: "Asia/Tokyo"}); err != nil {
		t.Fatal(err)
	}
	if got := n.Zone().String(); got != "Asia/Tokyo" {
		t.Fatalf("zone = %s, want Asia/Tokyo", got)
	}
}

// The Tracker's "today" is the contractor's day in the display zone too.
// The clock is Monday 12:00 UTC and the segment Monday 09:00 UTC.
func TestTrackerTodayFollowsTheDisplayZone(t *testing.T) {
	n, cid := contractorNode(t, "off", false)
	addSegment(t, n, cid, monday, 10)
	cases := []struct {
		zone  string
		today int
	}{
		{"UTC", 10},
		{"Asia/Tokyo", 10},          // Monday 21:00 there, the segment at 18:00
		{"Pacific/Kiritimati", 0},   // Tuesday 02:00 there: the segment was yesterday
		{"Pacific/Honolulu", 0},     // Monday 02:00 there: the segment was Sunday 23:00
		{"America/Los_Angeles", 10}, // Monday 04:00 there, the segment at 01:00
	}
	for _, c := range cases {
		if _, err := n.SetSetting(node.SettingParams{Key: config.KeyDisplayZone, Value: c.zone}); err != nil {
			t.Fatal(err)
		}
		st, err := n.TrackingStatus(cid)
		if err != nil {
			t.Fatal(err)
		}
		if st.TodayMinutes != c.today || st.WeekMinutes != 10 {
			t.Errorf("%s: today %d, week %d minutes; want %d and 10", c.zone, st.TodayMinutes, st.WeekMinutes, c.today)
		}
	}
}

// A week that crosses the end of summer time in Berlin: seven local days
// from Thursday, one of them 25 hours, each starting at local midnight.
func TestDaysOfAWeekAcrossDaylightSaving(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	day := node.DayStart(time.Date(2026, 10, 22, 10, 0, 0, 0, time.UTC), berlin)
	var lengths []float64
	for range 7 {
		next := node.DayStart(day.Add(36*time.Hour), berlin)
		if l := day.In(berlin); l.Hour() != 0 || l.Minute() != 0 {
			t.Errorf("day starts at %s, want local midnight", l)
		}
		lengths = append(lengths, next.Sub(day).Hours())
		day = next
	}
	if want := []float64{24, 24, 24, 25, 24, 24, 24}; !slices.Equal(lengths, want) {
		t.Errorf("days from Thursday 22 October: %v hours, want %v", lengths, want)
	}
}
