package contract

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"
)

func weeksIn(t *testing.T, zone string, day time.Weekday, minute int) Weeks {
	t.Helper()
	ws, err := NewWeekStart(day, minute)
	if err != nil {
		t.Fatal(err)
	}
	terms := testTerms()
	terms.WeekStart, terms.WeekZone = ws, zone
	if err := terms.Validate(); err != nil {
		t.Fatal(err)
	}
	return terms.Weeks()
}

func utc(s string) time.Time {
	t, err := time.Parse(time.RFC3339, s)
	if err != nil {
		panic(err)
	}
	return t
}

// TestWeeksZones covers zones either side of UTC: a week begins at local
// Monday 00:00, which is the previous day in UTC east of Greenwich.
func TestWeeksZones(t *testing.T) {
	tests := []struct {
		zone       string
		at         string
		begin, end string
		iso        string
	}{
		{"", "2026-11-25T14:30:00Z", "2026-11-23T00:00:00Z", "2026-11-30T00:00:00Z", "2026-W48"},
		{"Europe/Berlin", "2026-11-25T14:30:00Z", "2026-11-22T23:00:00Z", "2026-11-29T23:00:00Z", "2026-W48"},
		// Sunday 23:30 UTC is already Monday in Berlin.
		{"Europe/Berlin", "2026-11-29T23:30:00Z", "2026-11-29T23:00:00Z", "2026-12-06T23:00:00Z", "2026-W49"},
		{"Asia/Tokyo", "2026-11-22T15:00:00Z", "2026-11-22T15:00:00Z", "2026-11-29T15:00:00Z", "2026-W48"},
		{"Asia/Tokyo", "2026-11-22T14:59:59Z", "2026-11-15T15:00:00Z", "2026-11-22T15:00:00Z", "2026-W47"},
		// Monday 03:00 UTC is still Sunday in New York.
		{"America/New_York", "2026-11-30T03:00:00Z", "2026-11-23T05:00:00Z", "2026-11-30T05:00:00Z", "2026-W48"},
		{"America/Los_Angeles", "2026-12-31T23:00:00Z", "2026-12-28T08:00:00Z", "2027-01-04T08:00:00Z", "2026-W53"},
	}
	for _, tt := range tests {
		w := weeksIn(t, tt.zone, time.Monday, 0)
		at := utc(tt.at)
		begin := w.Begin(at)
		if !begin.Equal(utc(tt.begin)) || !w.Next(begin).Equal(utc(tt.end)) {
			t.Errorf("%s: week of %s = %s to %s, want %s to %s", w, tt.at, begin, w.Next(begin), tt.begin, tt.end)
		}
		if y, n := w.ISOWeek(begin); isoName(y, n) != tt.iso {
			t.Errorf("%s: week of %s is %s, want %s", w, tt.at, isoName(y, n), tt.iso)
		}
		if !w.IsStart(begin) || w.IsStart(at) && !at.Equal(begin) || !w.Prev(w.Next(begin)).Equal(begin) {
			t.Errorf("%s: begin %s is not a week start or Prev/Next disagree", w, begin)
		}
	}
}

func isoName(y, n int) string { return fmt.Sprintf("%04d-W%02d", y, n) }

// TestWeeksDST: weeks that hold a daylight saving change are an hour
// longer or shorter, and still begin at local Monday 00:00.
func TestWeeksDST(t *testing.T) {
	tests := []struct {
		zone   string
		at     string // inside the week of the change
		begin  string
		length time.Duration
	}{
		// New York leaves DST on Sunday 2026-11-01.
		{"America/New_York", "2026-11-01T12:00:00Z", "2026-10-26T04:00:00Z", 169 * time.Hour},
		// Berlin leaves DST on Sunday 2026-10-25 and enters it on 2026-03-29.
		{"Europe/Berlin", "2026-10-25T12:00:00Z", "2026-10-18T22:00:00Z", 169 * time.Hour},
		{"Europe/Berlin", "2026-03-29T12:00:00Z", "2026-03-22T23:00:00Z", 167 * time.Hour},
		{"America/New_York", "2026-03-08T12:00:00Z", "2026-03-02T05:00:00Z", 167 * time.Hour},
	}
	for _, tt := range tests {
		w := weeksIn(t, tt.zone, time.Monday, 0)
		begin := w.Begin(utc(tt.at))
		if !begin.Equal(utc(tt.begin)) {
			t.Errorf("%s: week of %s begins %s, want %s", tt.zone, tt.at, begin, tt.begin)
		}
		if got := w.Next(begin).Sub(begin); got != tt.length {
			t.Errorf("%s: week of %s lasts %s, want %s", tt.zone, tt.at, got, tt.length)
		}
		// The last second of the week is in it; the next week's first is not.
		if end := w.Next(begin); !w.Begin(end.Add(-time.Second)).Equal(begin) || !w.Begin(end).Equal(end) {
			t.Errorf("%s: the week's bounds disagree with Begin at %s", tt.zone, end)
		}
		if local := begin.In(w.Zone()); local.Weekday() != time.Monday || local.Hour() != 0 || local.Minute() != 0 {
			t.Errorf("%s: week begins %s local, want Monday 00:00", tt.zone, local)
		}
	}
}

// TestWeeksStartInGap: a week start inside the hour a DST change skips
// (Sunday 02:30 in Berlin on 2026-03-29) moves on by the gap that week
// and every week start stays a fixed point of Begin.
func TestWeeksStartInGap(t *testing.T) {
	w := weeksIn(t, "Europe/Berlin", time.Sunday, 2*60+30)
	week := w.Begin(utc("2026-03-20T00:00:00Z"))
	for range 6 {
		next := w.Next(week)
		if !w.IsStart(week) || !next.After(week) || next.Sub(week) < 166*time.Hour || next.Sub(week) > 170*time.Hour {
			t.Fatalf("weeks %s then %s", week, next)
		}
		for at := week; at.Before(next); at = at.Add(time.Hour) {
			if !w.Begin(at).Equal(week) {
				t.Fatalf("Begin(%s) = %s, want %s", at, w.Begin(at), week)
			}
		}
		week = next
	}
}

func TestWeekZoneRefused(t *testing.T) {
	for _, zone := range []string{"Mars/Olympus_Mons", "Local", "UTC", "/etc/localtime", "../zoneinfo/UTC", "Europe/Berlin\n",
		strings.Repeat("A", 80), "localtime", "posixrules", "right/Europe/Berlin", "europe/berlin", "Europe//Berlin", "Europe/"} {
		terms := testTerms()
		terms.WeekZone = zone
		if err := terms.Validate(); !errors.Is(err, ErrInvalidTerms) || !strings.Contains(err.Error(), "week zone") {
			t.Errorf("zone %q: Validate = %v, want ErrInvalidTerms naming the week zone", zone, err)
		}
	}
	for in, want := range map[string]string{"": "", " UTC ": "", "Europe/Berlin": "Europe/Berlin", "Etc/GMT+5": "Etc/GMT+5"} {
		if got, err := NormalizeWeekZone(in); err != nil || got != want {
			t.Errorf("NormalizeWeekZone(%q) = %q, %v, want %q", in, got, err, want)
		}
	}
	if _, err := NormalizeWeekZone("Europe/Berlln"); !errors.Is(err, ErrInvalidTerms) {
		t.Errorf("NormalizeWeekZone(misspelt) = %v, want ErrInvalidTerms", err)
	}
}

// TestOfferWeekZone: the zone is signed as key 21, absent for UTC so an
// offer in UTC keeps its old bytes, and a crafted offer naming a zone
// that does not exist (or UTC spelled out) is refused when decoded.
func TestOfferWeekZone(t *testing.T) {
	emp := newIdentity(t, "Acme")
	terms := testTerms()
	terms.WeekZone = "Europe/Berlin"
	o, err := NewOffer(terms, emp, nil, t0)
	if err != nil {
		t.Fatal(err)
	}
	back, err := DecodeOffer(o.Signed())
	if err != nil || back.WeekZone != "Europe/Berlin" || back.Weeks().String() != "Monday 00:00 Europe/Berlin" {
		t.Fatalf("DecodeOffer = %+v, %v", back, err)
	}
	if !strings.Contains(strings.Join(o.Consent(), "\n"), "Weeks start Monday 00:00 Europe/Berlin") {
		t.Errorf("consent does not name the week zone: %q", o.Consent())
	}
	if got, want := o.WeekClosesAt(utc("2026-11-22T23:00:00Z")), utc("2026-11-30T23:00:00Z"); !got.Equal(want) {
		t.Errorf("WeekClosesAt = %s, want %s (the Berlin week's end plus a day)", got, want)
	}
	terms.WeekZone = "UTC"
	u, err := NewOffer(terms, emp, nil, t0)
	if err != nil || u.WeekZone != "" {
		t.Fatalf("offer in UTC = %+v, %v; want the zone left out", u, err)
	}
	for _, zone := range []string{"Mars/Olympus_Mons", "UTC", "Local"} {
		w := o.wire()
		w.WeekZone = zone
		if _, err := DecodeOffer(resign(t, emp, w)); !errors.Is(err, ErrInvalidTerms) || !strings.Contains(err.Error(), "week zone") {
			t.Errorf("offer with week zone %q: DecodeOffer = %v, want ErrInvalidTerms naming the week zone", zone, err)
		}
	}
}

// A dispute may name every segment of a week an hour longer than seven
// days (New York's week of 1 November 2026), and still one week only.
func TestDisputeWholeDSTWeek(t *testing.T) {
	emp := newIdentity(t, "Acme")
	terms := testTerms()
	terms.WeekZone = "America/New_York"
	o, err := NewOffer(terms, emp, nil, utc("2026-10-20T12:00:00Z"))
	if err != nil {
		t.Fatal(err)
	}
	w := o.Weeks()
	begin := w.Begin(utc("2026-10-28T12:00:00Z"))
	var all []time.Time
	for s := begin; s.Before(w.Next(begin)); s = s.Add(10 * time.Minute) {
		all = append(all, s)
	}
	if len(all) != MaxDisputed {
		t.Fatalf("the week has %d segments, want MaxDisputed = %d", len(all), MaxDisputed)
	}
	if _, err := NewDispute(o, emp, all, "none of this", utc("2026-11-04T12:00:00Z")); err != nil {
		t.Errorf("a dispute of the whole 169-hour week: %v", err)
	}
	if _, err := NewDispute(o, emp, append(all, w.Next(begin)), "and more", utc("2026-11-04T12:00:00Z")); err == nil {
		t.Error("a dispute reaching into the next week was signed")
	}
}
