package node_test

import (
	"fmt"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/config"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/logdb"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/store"
)

// The team view answers the same from the logs' recent records as from
// their indexes: at times across days and a week's change, in display
// zones and a week zone whose midnights are not UTC's, before and after
// the newest segment; with the records kept by the appends, built on
// opening a folder that had none, and without any.
func TestTeamRecentMatchesIndexes(t *testing.T) {
	dir := t.TempDir()
	if err := generateYear(dir, 2, t.Logf); err != nil {
		t.Fatal(err)
	}
	y := yearFolder{dir}
	// A third contract whose weeks start at midnight in Chatham (+13:45).
	err := withNode(y.employer(), func(emp *node.Node) error {
		if err := os.MkdirAll(y.contractor(2), 0o700); err != nil {
			return err
		}
		me, err := identity.Create(y.contractor(2), "Contractor 2")
		if err != nil {
			return err
		}
		c, err := yearContractOf(y, emp, me, 2, node.OfferParams{Title: yearTitle(2), Rate: "35.00", Currency: "USD",
			Screenshots: 1, WeekZone: "Pacific/Chatham"})
		if err != nil {
			return err
		}
		entries, err := yearLog(me.PrivateKey(), c.ID(), 2)
		if err != nil {
			return err
		}
		empID, _ := emp.Identity()
		return writeLog(emp.Store(), entries, me.PrivateKey(), empID.PrivateKey())
	})
	if err != nil {
		t.Fatal(err)
	}
	zones := []string{"UTC", "Asia/Kathmandu", "America/St_Johns"}
	// team reads the view every five hours from Wednesday morning (before
	// the newest segment, dated Friday) to the next Tuesday, in each zone.
	team := func(drop string) map[string][]node.TeamRow {
		clk := clocktest.New(yearNow.Add(-58 * time.Hour))
		emp, err := node.Open(y.employer(), "test", clk)
		if err != nil {
			t.Fatal(err)
		}
		defer emp.Close()
		var recent map[ledger.LogID]logdb.Recent
		_ = emp.Store().View(func(x *store.Txn) error { recent, err = logdb.RecentAll(x); return err })
		if want := map[string]int{"": 3, "logrecent": 3, "logrecent/": 0}[drop]; len(recent) != want {
			t.Fatalf("%d recent records (dropped %q), want %d", len(recent), drop, want)
		}
		out := map[string][]node.TeamRow{}
		for step := 0; step < 30; step++ {
			for _, z := range zones {
				if _, err := emp.SetSetting(node.SettingParams{Key: config.KeyDisplayZone, Value: z}); err != nil {
					t.Fatal(err)
				}
				rows, err := emp.Team()
				if err != nil {
					t.Fatal(err)
				}
				out[fmt.Sprint(clk.Now().Format(time.RFC3339), " ", z)] = rows
			}
			clk.Advance(5 * time.Hour)
		}
		return out
	}
	kept := team("")
	busy := 0
	for _, rows := range kept {
		for _, r := range rows {
			if r.TodayMinutes > 0 && r.WeekMinutes > r.TodayMinutes && r.LastMemo != "" {
				busy++
			}
		}
	}
	if busy < 30 {
		t.Fatalf("only %d team rows show today's and the week's work: the span misses the year's last days", busy)
	}
	for _, drop := range []string{"logrecent", "logrecent/"} {
		// "logrecent": a folder from before the records (Open builds
		// them); "logrecent/": records gone but the folder marked, so
		// the view reads the indexes.
		if err := dropKeys(y.employer(), drop); err != nil {
			t.Fatal(err)
		}
		got := team(drop)
		for when, rows := range kept {
			if !reflect.DeepEqual(got[when], rows) {
				t.Fatalf("%s, dropped %q: %+v\nwith the records kept by the appends: %+v", when, drop, got[when], rows)
			}
		}
	}
}

// dropKeys deletes the keys under prefix in the folder at home.
func dropKeys(home, prefix string) error {
	st, err := store.Open(home)
	if err != nil {
		return err
	}
	defer st.Close()
	return st.Update(func(x *store.Txn) error { return deleteUnder(x, prefix) })
}

// deleteUnder deletes the keys under prefix inside x.
func deleteUnder(x *store.Txn, prefix string) error {
	var keys [][]byte
	if err := x.Scan([]byte(prefix), nil, func(k, _ []byte) (bool, error) {
		keys = append(keys, append([]byte(nil), k...))
		return true, nil
	}); err != nil {
		return err
	}
	for _, k := range keys {
		if err := x.Delete(k); err != nil {
			return err
		}
	}
	return nil
}
