package node

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/diarydb"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/timesheet"
)

// AddManual adds manual time where the contract allows it: whole 10-minute
// segments (as the log records manual time), marked manual, with no
// activity and no screenshots. It never overlaps time already in the
// diary, never lies in the future, and passes the contract's entry rules
// (the employer's own checks), so approving it never makes an entry the
// employer refuses.
func (n *Node) AddManual(p ManualParams) (CurateResult, error) {
	c, err := n.contractorContract(p.Contract)
	if err != nil {
		return CurateResult{}, err
	}
	memo := strings.TrimSpace(p.Memo)
	if memo == "" {
		return CurateResult{}, errors.New("manual time needs a memo: say what the work was")
	}
	// Messages give times in the zone the caller gave them in: a person
	// in Tokyo who typed 05:00 reads 05:00 back, not 20:00.
	zone := p.From.Location()
	from, to := p.From.UTC(), p.To.UTC()
	if !diary.SlotStart(from).Equal(from) || !diary.SlotStart(to).Equal(to) {
		return CurateResult{}, fmt.Errorf("manual time is added in whole 10-minute segments: start and end on :00, :10, :20, … (got %s–%s)",
			p.From.Format("15:04"), p.To.In(zone).Format("15:04"))
	}
	if !from.Before(to) {
		return CurateResult{}, fmt.Errorf("manual time from %s to %s is empty", p.From.Format("15:04"), p.To.In(zone).Format("15:04"))
	}
	if to.After(n.Clock.Now()) {
		return CurateResult{}, errors.New("manual time cannot end in the future")
	}
	rules, err := n.entryRules(c)
	if err != nil {
		return CurateResult{}, err
	}
	if nb := rules.NotBefore; from.Before(nb) {
		// The likeliest refusal, said here in the caller's zone; the
		// rules' own wording (in UTC) serves both sides of the wire.
		return CurateResult{}, &contract.TermError{Reason: fmt.Sprintf(
			"manual time at %s is before the contract started (it takes time from %s, a day before the offer)",
			p.From.Format("2006-01-02 15:04 MST"), nb.In(zone).Format("2006-01-02 15:04 MST"))}
	}
	var corrects int64
	if p.Corrects != "" {
		week, err := timesheet.ParseWeek(p.Corrects, c.Offer.Weeks())
		if err != nil {
			return CurateResult{}, err
		}
		corrects = week.Start.Unix()
	}
	if err := breaksTerms(c, rules, from, to, memo, corrects, n.Clock.Now()); err != nil {
		return CurateResult{}, err
	}
	cid := c.ID().String()
	db := diarydb.New(n.store)
	var res CurateResult
	err = n.store.Update(func(x *store.Txn) error {
		for slot := diary.SlotStart(from); slot.Before(to); slot = slot.Add(diary.SegmentLength) {
			if _, err := db.Get(cid, slot); err == nil {
				return fmt.Errorf("the diary already has time at %s: manual time may not overlap it", slot.In(zone).Format("2006-01-02 15:04"))
			}
			s := diary.Segment{Contract: cid, Start: slot, State: diary.Recorded, Kind: diary.Manual, Memo: memo, Corrects: corrects}
			for m := slot; m.Before(slot.Add(diary.SegmentLength)); m = m.Add(time.Minute) {
				if !m.Before(from) && m.Before(to) {
					s.AddMinute(diary.Minute{Index: int(m.Sub(slot) / time.Minute)})
				}
			}
			if err := diarydb.PutTxn(x, s); err != nil {
				return err
			}
			res.Changed = append(res.Changed, s.ID())
		}
		return nil
	})
	if err != nil {
		return CurateResult{}, err
	}
	n.diaryChanged(&res)
	return res, nil
}

// breaksTerms checks manual time from..to against the contract's entry
// rules, as the employer will check the entries it becomes.
func breaksTerms(c *contract.Contract, rules contract.EntryRules, from, to time.Time, memo string, corrects int64, now time.Time) error {
	for slot := from; slot.Before(to); slot = slot.Add(diary.SegmentLength) {
		s := diary.Segment{Contract: c.ID().String(), Start: slot, State: diary.Recorded, Kind: diary.Manual, Memo: memo, Corrects: corrects}
		e, err := s.LedgerEntry(now)
		if err == nil {
			err = rules.Check(e)
		}
		if err != nil {
			return err
		}
	}
	return nil
}
