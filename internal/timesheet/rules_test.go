package timesheet

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

func TestParseWeek(t *testing.T) {
	sunNoon, _ := contract.NewWeekStart(time.Sunday, 12*60)
	tests := []struct {
		in        string
		ws        contract.WeekStart
		zone      string
		start     time.Time
		hours     int
		wantDates int
	}{
		{"2026-W48", 0, "", monday, 168, 7},
		{"2026-W01", 0, "", time.Date(2025, 12, 29, 0, 0, 0, 0, time.UTC), 168, 7},
		{"2026-W53", 0, "", time.Date(2026, 12, 28, 0, 0, 0, 0, time.UTC), 168, 7},
		{"2020-W53", 0, "", time.Date(2020, 12, 28, 0, 0, 0, 0, time.UTC), 168, 7},
		{"2026-W48", sunNoon, "", time.Date(2026, 11, 29, 12, 0, 0, 0, time.UTC), 168, 8},
		// East and west of UTC: local Monday 00:00.
		{"2026-W48", 0, "Europe/Berlin", time.Date(2026, 11, 22, 23, 0, 0, 0, time.UTC), 168, 7},
		{"2026-W48", 0, "America/New_York", time.Date(2026, 11, 23, 5, 0, 0, 0, time.UTC), 168, 7},
		{"2026-W01", 0, "Asia/Tokyo", time.Date(2025, 12, 28, 15, 0, 0, 0, time.UTC), 168, 7},
		// Weeks holding the end of daylight saving time are an hour longer.
		{"2026-W44", 0, "America/New_York", time.Date(2026, 10, 26, 4, 0, 0, 0, time.UTC), 169, 7},
		{"2026-W43", 0, "Europe/Berlin", time.Date(2026, 10, 18, 22, 0, 0, 0, time.UTC), 169, 7},
		{"2026-W13", 0, "Europe/Berlin", time.Date(2026, 3, 22, 23, 0, 0, 0, time.UTC), 167, 7},
		{"2026-W43", sunNoon, "Europe/Berlin", time.Date(2026, 10, 25, 11, 0, 0, 0, time.UTC), 168, 8},
	}
	for _, tt := range tests {
		weeks := contract.Terms{WeekStart: tt.ws, WeekZone: tt.zone}.Weeks()
		w, err := ParseWeek(tt.in, weeks)
		if err != nil {
			t.Errorf("ParseWeek(%q, %s): %v", tt.in, weeks, err)
			continue
		}
		if !w.Start.Equal(tt.start) || w.End.Sub(w.Start) != time.Duration(tt.hours)*time.Hour || w.String() != tt.in {
			t.Errorf("ParseWeek(%q, %s) = %s %s..%s, want start %s and %d hours", tt.in, weeks, w, w.Start, w.End, tt.start, tt.hours)
		}
		if got := len(w.Dates()); got != tt.wantDates {
			t.Errorf("ParseWeek(%q, %s): %d dates %v, want %d", tt.in, weeks, got, w.Dates(), tt.wantDates)
		}
		if back := WeekOf(w.Start.Add(time.Hour), weeks); back != w {
			t.Errorf("WeekOf(start of %s) = %s, want the same week", tt.in, back)
		}
		if back := WeekOf(w.End.Add(-time.Second), weeks); back != w {
			t.Errorf("WeekOf(end of %s) = %s, want the same week", tt.in, back)
		}
	}
	for _, bad := range []string{"2025-W53", "2026-W00", "2026-W54", "2026W48", "2026-w48", "26-W48", "2026-W4", ""} {
		if _, err := ParseWeek(bad, contract.Weeks{}); !errors.Is(err, ErrBadWeek) {
			t.Errorf("ParseWeek(%q): err = %v, want ErrBadWeek", bad, err)
		}
	}
}

func TestAmountRoundsHalfUpOnce(t *testing.T) {
	tests := []struct {
		minutes int
		rate    int64
		want    int64
	}{
		{60, 3500, 3500},
		{90, 3500, 5250},
		{1, 3500, 58},   // 58.33
		{1, 3030, 51},   // 50.5 rounds up
		{1, 2970, 50},   // 49.5 rounds up
		{3, 10, 1},      // 0.5
		{1, 29, 0},      // 0.48
		{10080, 1, 168}, // a whole week at 1 minor unit per hour
		{0, 1 << 62, 0},
	}
	for _, tt := range tests {
		got, err := amountMinor(tt.minutes, tt.rate)
		if err != nil || got != tt.want {
			t.Errorf("amountMinor(%d, %d) = %d, %v; want %d", tt.minutes, tt.rate, got, err, tt.want)
		}
	}
	if _, err := amountMinor(10080, 1<<62); !errors.Is(err, ErrBadInput) {
		t.Errorf("amountMinor overflow: err = %v, want ErrBadInput", err)
	}
}

func TestBillingRules(t *testing.T) {
	tests := []struct {
		name    string
		terms   func(*contract.Terms)
		record  func(w *world)
		week    string
		want    Totals
		seqs    []uint64
		refused []uint64 // seqs the contract's entry rules refuse
	}{
		{
			name:   "over the weekly limit",
			terms:  func(t *contract.Terms) { t.WeeklyLimitHours = 1 },
			record: func(w *world) { w.autoRun(at(0, 9, 0), 9, "API") },
			want:   Totals{TrackedMinutes: 90, OverLimitMinutes: 30, BillableMinutes: 60, AmountMinor: 3500},
			seqs:   []uint64{1, 2, 3, 4, 5, 6, 7, 8, 9},
		},
		{
			name:  "the limit is used in time order, not approval order",
			terms: func(t *contract.Terms) { t.WeeklyLimitHours = 1 },
			record: func(w *world) {
				w.autoRun(at(1, 9, 0), 6, "Tuesday")
				w.autoRun(at(0, 9, 0), 3, "Monday, approved later")
			},
			want: Totals{TrackedMinutes: 90, OverLimitMinutes: 30, BillableMinutes: 60, AmountMinor: 3500},
			seqs: []uint64{7, 8, 9, 1, 2, 3, 4, 5, 6},
		},
		{
			name:   "manual time allowed",
			terms:  func(t *contract.Terms) { t.ManualTime = true },
			record: func(w *world) { w.auto(at(0, 9, 0), 10, "x"); w.manual(at(0, 11, 0), "call") },
			want:   Totals{TrackedMinutes: 20, ManualMinutes: 10, BillableMinutes: 20, AmountMinor: 1167},
			seqs:   []uint64{1, 2},
		},
		{
			name:    "manual time not allowed",
			record:  func(w *world) { w.auto(at(0, 9, 0), 10, "x"); w.manual(at(0, 11, 0), "call") },
			want:    Totals{TrackedMinutes: 10, BillableMinutes: 10, AmountMinor: 583},
			seqs:    []uint64{1},
			refused: []uint64{2}, // as the employer refused it: it counts for nothing
		},
		{
			name: "week starting Sunday 12:00",
			terms: func(t *contract.Terms) {
				t.WeekStart, _ = contract.NewWeekStart(time.Sunday, 12*60)
			},
			record: func(w *world) {
				w.auto(at(6, 11, 50), 10, "last week")  // Sunday 29 Nov 11:50: week W47
				w.auto(at(6, 12, 0), 10, "this week")   // Sunday 12:00: first segment of W48
				w.auto(at(13, 11, 50), 10, "this week") // Sunday 6 Dec 11:50: last of W48
				w.auto(at(13, 12, 0), 10, "next week")  // W49
			},
			want: Totals{TrackedMinutes: 20, BillableMinutes: 20, AmountMinor: 1167},
			seqs: []uint64{2, 3},
		},
		{
			name: "a week start inside a segment splits it by minute",
			terms: func(t *contract.Terms) {
				t.WeekStart, _ = contract.NewWeekStart(time.Monday, 5)
			},
			record: func(w *world) { w.auto(at(0, 0, 0), 10, "midnight") },
			want:   Totals{TrackedMinutes: 5, BillableMinutes: 5, AmountMinor: 292},
			seqs:   []uint64{1},
		},
		{
			// An end bound after time already taken reaches back to it
			// (never into a closed week): that time is shown, outside the
			// contract, not billed.
			name: "contract ended mid-week, after the time",
			record: func(w *world) {
				w.auto(at(2, 12, 0), 10, "Wednesday noon")
				w.auto(at(3, 9, 0), 10, "Thursday")
				w.endAt(at(2, 12, 5))
			},
			want: Totals{TrackedMinutes: 20, OutsideContractMinutes: 15, BillableMinutes: 5, AmountMinor: 292},
			seqs: []uint64{1, 2},
		},
		{
			name: "time after a bound end is refused",
			record: func(w *world) {
				w.auto(at(2, 12, 0), 10, "Wednesday noon")
				w.endAt(at(2, 12, 5))
				w.auto(at(3, 9, 0), 10, "Thursday")
			},
			want:    Totals{TrackedMinutes: 10, OutsideContractMinutes: 5, BillableMinutes: 5, AmountMinor: 292},
			seqs:    []uint64{1},
			refused: []uint64{3}, // starts after the end
		},
		{
			name: "a voided entry is not counted",
			record: func(w *world) {
				w.auto(at(0, 9, 0), 10, "kept")
				s := w.auto(at(0, 9, 10), 10, "withdrawn")
				w.void(s, "wrong contract")
			},
			want: Totals{TrackedMinutes: 10, BillableMinutes: 10, AmountMinor: 583},
			seqs: []uint64{1},
		},
		{
			name:   "idle minutes without rows are not tracked",
			record: func(w *world) { w.auto(at(0, 9, 0), 7, "short") },
			want:   Totals{TrackedMinutes: 7, BillableMinutes: 7, AmountMinor: 408},
			seqs:   []uint64{1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			terms := testTerms()
			if tt.terms != nil {
				tt.terms(&terms)
			}
			w := newWorld(t, terms)
			tt.record(w)
			ts := w.build("2026-W48")
			tt.want.Amount = contract.FormatRate(tt.want.AmountMinor, "USD")
			if ts.Totals != tt.want {
				t.Errorf("totals = %+v\nwant     %+v", ts.Totals, tt.want)
			}
			if !slices.Equal(ts.Entries, tt.seqs) {
				t.Errorf("entries = %v, want %v", ts.Entries, tt.seqs)
			}
			var refused []uint64
			for _, r := range ts.Refused {
				refused = append(refused, r.Seq)
			}
			if !slices.Equal(refused, tt.refused) {
				t.Errorf("refused = %+v, want seqs %v", ts.Refused, tt.refused)
			}
			checkDaysAddUp(t, ts)
		})
	}
}

// checkDaysAddUp holds for every timesheet: days sum to the totals, and
// every tracked minute has exactly one fate.
func checkDaysAddUp(t *testing.T, ts Timesheet) {
	t.Helper()
	var d Day
	for _, day := range ts.Days {
		d.TrackedMinutes += day.TrackedMinutes
		d.ManualMinutes += day.ManualMinutes
		d.BillableMinutes += day.BillableMinutes
	}
	tot := ts.Totals
	if d.TrackedMinutes != tot.TrackedMinutes || d.ManualMinutes != tot.ManualMinutes || d.BillableMinutes != tot.BillableMinutes {
		t.Errorf("days add up to %+v, totals say %+v", d, tot)
	}
	if sum := tot.BillableMinutes + tot.DisputedMinutes + tot.OverLimitMinutes + tot.ManualExcludedMinutes + tot.OutsideContractMinutes +
		tot.UnverifiedExcludedMinutes; sum != tot.TrackedMinutes {
		t.Errorf("billable+disputed+over+manual excluded+outside+unverified excluded = %d, tracked = %d", sum, tot.TrackedMinutes)
	}
}

func TestBuildRefusesABrokenLog(t *testing.T) {
	w := newWorld(t, testTerms())
	w.autoRun(at(0, 9, 0), 3, "x")
	in := w.input("2026-W48")
	in.Entries = [][]byte{in.Entries[0], in.Entries[2]}
	if _, err := Build(in); !errors.Is(err, ErrTampered) {
		t.Fatalf("Build with a gap: err = %v, want ErrTampered", err)
	}
	in = w.input("2026-W48")
	in.Entries[1] = flip(in.Entries[1], len(in.Entries[1])-10)
	if _, err := Build(in); !errors.Is(err, ErrBadSignature) {
		t.Fatalf("Build with a forged entry: err = %v, want ErrBadSignature", err)
	}
}

func flip(b []byte, i int) []byte {
	c := slices.Clone(b)
	c[i] ^= 0x01
	return c
}
