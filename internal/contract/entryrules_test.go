package contract

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// The entry rules, one case per term; a void never breaks them, and the
// reason says what and when.
func TestEntryRules(t *testing.T) {
	created := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	o := &Offer{Terms: Terms{Screenshots: 1, Blur: BlurRequired}, CreatedAt: created}
	end := &End{At: created.AddDate(0, 0, 14)}
	at := func(d time.Duration) int64 { return created.Add(d).Unix() }
	shot := func(start int64, blurred bool) ledger.Image {
		return ledger.Image{Role: ledger.RoleScreenshot, TakenAt: start + 60, Blurred: blurred}
	}
	auto := func(start int64, imgs ...ledger.Image) ledger.Entry {
		return ledger.Entry{Seq: 1, Start: start, Kind: ledger.KindAuto, Images: imgs}
	}
	tests := []struct {
		name string
		e    ledger.Entry
		want string // part of the reason; "" = passes
	}{
		{"inside the window", auto(at(time.Hour), shot(at(time.Hour), true)), ""},
		{"within the day of grace", auto(at(-23 * time.Hour)), ""},
		{"before the contract", ledger.Entry{Seq: 1, Start: at(-72 * time.Hour), Kind: ledger.KindManual},
			"manual time at 2026-11-27 09:00 UTC is before the contract started (it takes time from 2026-11-29 09:00 UTC"},
		{"after the end", auto(at(15 * 24 * time.Hour)), "after the contract ended (2026-12-14 09:00 UTC)"},
		{"manual time not allowed", ledger.Entry{Seq: 1, Start: at(time.Hour), Kind: ledger.KindManual}, "does not allow manual time"},
		{"webcam not allowed", auto(at(time.Hour), ledger.Image{Role: ledger.RoleWebcam, TakenAt: at(time.Hour)}), "webcam photo"},
		{"sharp where blur is required", auto(at(time.Hour), shot(at(time.Hour), false)), "requires blur"},
		{"too many moments", auto(at(time.Hour), shot(at(time.Hour), true), shot(at(time.Hour)+60, true)), "screenshots at 2 moments"},
		{"eight monitors at one moment", auto(at(time.Hour), slices.Repeat([]ledger.Image{shot(at(time.Hour), true)}, MaxMonitors)...), ""},
		{"32 screenshots at one moment", auto(at(time.Hour), slices.Repeat([]ledger.Image{shot(at(time.Hour), true)}, 32)...),
			"32 screenshots taken at one moment; at most 8 (one per monitor)"},
		{"a void of time before the contract", ledger.Entry{Seq: 2, Start: at(-72 * time.Hour), Kind: ledger.KindVoid}, ""},
	}
	rules := o.EntryRules(end)
	for _, tt := range tests {
		err := rules.Check(tt.e)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v, want it to pass", tt.name, err)
		case tt.want != "" && (!errors.Is(err, ErrBreaksTerms) || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want ErrBreaksTerms saying %q", tt.name, err, tt.want)
		}
	}
	if err := CheckTime(auto(at(time.Hour)), created.Add(time.Hour-time.Minute)); !errors.Is(err, ErrInFuture) || errors.Is(err, ErrBreaksTerms) {
		t.Errorf("a segment ending 11 minutes from now: %v, want ErrInFuture (and not a broken term)", err)
	}
	if err := CheckTime(auto(at(time.Hour)), created.Add(time.Hour+5*time.Minute)); err != nil {
		t.Errorf("a segment ending 5 minutes from now, within the clock slack: %v", err)
	}
}

// Closed weeks: time approved after a week's deadline, or after the close
// both parties signed, is refused; the week after is not; a void always
// passes; an offer whose weeks never close refuses nothing late.
func TestEntryRulesClosedWeeks(t *testing.T) {
	created := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC) // a Monday
	o := &Offer{Terms: Terms{Screenshots: 1, ManualTime: true, CloseAfterHours: 24}, CreatedAt: created}
	week := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	deadline := week.AddDate(0, 0, 8) // Tuesday 00:00 after the week
	seg := week.Add(50 * time.Hour).Unix()
	entry := func(seq uint64, approved time.Time) ledger.Entry {
		return ledger.Entry{Seq: seq, Start: seg, Kind: ledger.KindManual, ApprovedAt: approved.Unix()}
	}
	closed := o.EntryRules(nil).WithClosed([]ledger.WeekClose{{Checkpoint: ledger.Checkpoint{Size: 7}, Week: week.Unix()}})
	tests := []struct {
		name  string
		rules EntryRules
		e     ledger.Entry
		want  string
	}{
		{"approved before the deadline", o.EntryRules(nil), entry(3, deadline.Add(-time.Minute)), ""},
		{"approved after the deadline", o.EntryRules(nil), entry(3, deadline.Add(time.Minute)),
			"was approved at 2026-12-08 00:01 UTC, after the week of 2026-11-30 00:00 UTC closed (2026-12-08 00:00 UTC)"},
		{"in the close", closed, entry(7, deadline.Add(-time.Hour)), ""},
		{"after the close, approval backdated", closed, entry(8, deadline.Add(-time.Hour)),
			"which both parties closed at entry 7: a correction goes in the current week"},
		{"not yet signed, week closed", closed, entry(0, deadline.Add(-time.Hour)), "closed at entry 7"},
		{"next week, after the close", closed, ledger.Entry{Seq: 9, Start: seg + 7*86400, Kind: ledger.KindManual, ApprovedAt: deadline.Unix()}, ""},
		{"a void after the close", closed, ledger.Entry{Seq: 9, Start: seg, Kind: ledger.KindVoid, ApprovedAt: deadline.AddDate(0, 1, 0).Unix()}, ""},
		{"weeks never close", (&Offer{Terms: Terms{ManualTime: true}, CreatedAt: created}).EntryRules(nil), entry(3, deadline.AddDate(1, 0, 0)), ""},
	}
	for _, tt := range tests {
		err := tt.rules.Check(tt.e)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: %v, want it to pass", tt.name, err)
		case tt.want != "" && (!errors.Is(err, ErrBreaksTerms) || !errors.Is(err, ErrWeekClosed) || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: %v, want ErrBreaksTerms and ErrWeekClosed saying %q", tt.name, err, tt.want)
		}
	}
}

// A correction names the start of an earlier week of the contract.
func TestEntryRulesCorrects(t *testing.T) {
	created := time.Date(2026, 11, 30, 9, 0, 0, 0, time.UTC)
	rules := (&Offer{Terms: Terms{ManualTime: true, CloseAfterHours: 24}, CreatedAt: created}).EntryRules(nil)
	start := time.Date(2026, 12, 8, 10, 0, 0, 0, time.UTC) // Tuesday of the week after
	manual := func(corrects time.Time) ledger.Entry {
		return ledger.Entry{Seq: 5, Start: start.Unix(), Kind: ledger.KindManual, ApprovedAt: start.Unix() + 600, Corrects: corrects.Unix()}
	}
	if err := rules.Check(manual(time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC))); err != nil {
		t.Errorf("a correction of the week before: %v", err)
	}
	for name, c := range map[string]struct {
		at   time.Time
		says string
	}{
		"not a week start": {time.Date(2026, 12, 1, 0, 0, 0, 0, time.UTC), "not a start of the contract's weeks"},
		"its own week":     {time.Date(2026, 12, 7, 0, 0, 0, 0, time.UTC), "not before its own week"},
	} {
		if err := rules.Check(manual(c.at)); !errors.Is(err, ErrBreaksTerms) || !strings.Contains(err.Error(), c.says) {
			t.Errorf("%s: %v, want it refused saying %q", name, err, c.says)
		}
	}
}
