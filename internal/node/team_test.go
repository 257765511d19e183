package node_test

import (
	"bytes"
	"path/filepath"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/store"
)

// The team view's hours of the week and of today, from the day index and,
// in a folder written before it, from the entries, agree with the
// received diary of the same span.
func TestTeamWeekMinutes(t *testing.T) {
	dir := t.TempDir()
	if err := generateYear(dir, 2, t.Logf); err != nil {
		t.Fatal(err)
	}
	emp, err := node.Open(filepath.Join(dir, "employer"), "test", clocktest.New(yearNow))
	if err != nil {
		t.Fatal(err)
	}
	defer emp.Close()
	// Days in UTC here, whatever TZ the test runs with: zone_test.go
	// checks the other zones.
	if _, err := emp.SetSetting(node.SettingParams{Key: config.KeyDisplayZone, Value: "UTC"}); err != nil {
		t.Fatal(err)
	}
	check := func(when string) {
		t.Helper()
		rows, err := emp.Team()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 {
			t.Fatalf("%s: %d team rows, want 2", when, len(rows))
		}
		monday := yearNow.Add(-(4*24 + 18) * 60 * 60 * 1e9)
		for _, r := range rows {
			views, err := emp.ReceivedDiary(r.Contract, monday, yearNow.Add(10*60*1e9))
			if err != nil {
				t.Fatal(err)
			}
			week, today, active := 0, 0, 0
			var last time.Time
			var memo string
			for _, v := range views {
				if !v.Start.Before(last) && v.Start.After(yearNow.Add(-24*time.Hour)) {
					last, memo = v.Start, v.Memo
				}
				week += len(v.Minutes)
				active += v.ActiveMinutes
				if !v.Start.Before(yearNow.Truncate(24 * 60 * 60 * 1e9)) {
					today += len(v.Minutes)
				}
			}
			if r.WeekMinutes != week || r.TodayMinutes != today || r.ActivityPercent != active*100/max(week, 1) {
				t.Errorf("%s: %s: week %d, today %d, activity %d %%; the diary says %d, %d, %d %%", when, r.Title,
					r.WeekMinutes, r.TodayMinutes, r.ActivityPercent, week, today, active*100/max(week, 1))
			}
			// What the contractor worked on last: the newest received segment.
			if last.IsZero() || !r.LastWork.Equal(last) || r.LastMemo != memo {
				t.Errorf("%s: %s: last work %v %q, the diary says %v %q", when, r.Title, r.LastWork, r.LastMemo, last, memo)
			}
			if r.WeekAmount == "" || r.Currency == "" {
				t.Errorf("%s: %s: no amount this week (%q %q)", when, r.Title, r.WeekAmount, r.Currency)
			}
			if r.WeekMinutes != 5*yearSegmentsPerDay*10 || r.TodayMinutes != yearSegmentsPerDay*10 {
				t.Errorf("%s: %s: week %d, today %d minutes, want %d and %d", when, r.Title,
					r.WeekMinutes, r.TodayMinutes, 5*yearSegmentsPerDay*10, yearSegmentsPerDay*10)
			}
		}
	}
	check("with the day index")
	// A folder from before the day index: no log/…/day keys at all (and
	// no recent records).
	err = emp.Store().Update(func(x *store.Txn) error {
		var keys [][]byte
		if err := x.Scan([]byte("log/"), nil, func(k, _ []byte) (bool, error) {
			if bytes.HasSuffix(k, []byte("/days")) || len(k) > 13 && string(k[len(k)-13:len(k)-8]) == "/day/" {
				keys = append(keys, append([]byte(nil), k...))
			}
			return true, nil
		}); err != nil {
			return err
		}
		if len(keys) < 2*(1+yearDays) {
			t.Fatalf("found %d day-index keys, want a marker and %d days per log", len(keys), yearDays)
		}
		for _, k := range keys {
			if err := x.Delete(k); err != nil {
				return err
			}
		}
		// Nor the logs' recent records, which the view would read first.
		return deleteUnder(x, "logrecent/")
	})
	if err != nil {
		t.Fatal(err)
	}
	check("without it")
}
