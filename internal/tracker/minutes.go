package tracker

import (
	"fmt"
	"time"

	"github.com/workdiary/workdiary/internal/activity"
	"github.com/workdiary/workdiary/internal/diary"
)

// recordMinute saves one finished minute into its segment, together with
// the app time sampled during the slot so far. The write is synced, so a
// crash after it loses nothing of this minute.
func (t *Tracker) recordMinute(m activity.Minute) error {
	if t.Policy.Allowed != nil {
		// A pause or an end bound while the session runs stops it here,
		// before the minute is kept (contract.EntryRules would refuse it).
		if err := t.Policy.Allowed(m.Start); err != nil {
			t.report(Event{Kind: ContractStopped, At: m.Start, Message: err.Error()})
			return err
		}
	}
	if err := t.checkLimit(m.Start); err != nil {
		return err
	}
	if t.Policy.judgesIdle() {
		if err := t.trackIdle(m); err != nil {
			return err
		}
	}
	slot := diary.SlotStart(m.Start)
	seg, err := t.segment(slot)
	if err != nil {
		return err
	}
	if !seg.AddMinute(toMinute(m, slot, t.Policy.CountActivity)) {
		// Already recorded before a restart (a --clock-speed run over
		// time already tracked): the app time sampled meanwhile belongs
		// to that minute too, and counting it again would push the
		// segment past its ten minutes.
		delete(t.appTime, slot)
		return nil
	}
	if t.idle && t.asksIdle() {
		seg.MarkIdlePending(m.Start, m.Start.Add(time.Minute))
	}
	// Whole seconds only, the fractions wait for the next minute: rounding
	// each minute's share up could credit a segment more than its ten
	// minutes, and rounding it down to zero would list an app with none.
	pending := t.appTime[slot]
	for k, d := range pending {
		if whole := d.Truncate(time.Second); whole > 0 {
			seg.AddAppTime(k[0], k[1], int(whole/time.Second))
			pending[k] = d - whole
		}
	}
	for s := range t.appTime {
		if s.Before(slot) {
			delete(t.appTime, s) // finished segments: nothing more is saved there
		}
	}
	seg.OverLimit = seg.OverLimit || t.overLimit()
	seg.Limits |= t.Policy.Limits
	if err := t.Diary.Put(seg); err != nil {
		return fmt.Errorf("save minute %s: %w", m.Start.Format(time.RFC3339), err)
	}
	t.week += time.Minute
	t.report(Event{Kind: MinuteRecorded, At: m.Start, Segment: seg.ID()})
	return nil
}

// checkLimit counts the week's tracked time and warns at 90 %; at 100 % it
// stops the run unless the contract says to continue and mark.
func (t *Tracker) checkLimit(at time.Time) error {
	if err := t.loadWeek(at); err != nil {
		return err
	}
	lim := t.limit
	if lim <= 0 {
		return nil
	}
	if !t.warned && t.week*10 >= lim*9 {
		t.warned = true
		t.report(Event{Kind: LimitWarning, At: at, Message: fmt.Sprintf("%s of the %s weekly limit tracked", fmtHours(t.week), fmtHours(lim))})
	}
	if t.week >= lim && !t.Policy.ContinueOverCap {
		t.report(Event{Kind: LimitReached, At: at, Message: ErrLimitReached.Error()})
		return ErrLimitReached
	}
	return nil
}

func (t *Tracker) overLimit() bool {
	return t.limit > 0 && t.week >= t.limit
}

// loadWeek (re)reads the week's tracked total when a new week begins.
func (t *Tracker) loadWeek(at time.Time) error {
	ws := t.Policy.withDefaults().WeekStart(at)
	if ws.Equal(t.weekOf) {
		return nil
	}
	d, err := t.Diary.Tracked(t.Policy.Contract, ws, t.Policy.withDefaults().weekEnd(ws))
	if err != nil {
		return fmt.Errorf("read this week's hours: %w", err)
	}
	t.week, t.weekOf, t.warned = d, ws, false
	t.limit = t.Policy.WeeklyLimit
	if t.Policy.WeeklyLimitFor != nil {
		t.limit = t.Policy.WeeklyLimitFor(ws)
	}
	return nil
}

func fmtHours(d time.Duration) string {
	return fmt.Sprintf("%d:%02d h", int(d.Hours()), int(d.Minutes())%60)
}
