package contract

import (
	"fmt"
	"time"
)

const minutesPerWeek = 7 * 24 * 60

// WeekStart is when a contract's week begins, as minutes after Monday 00:00
// in the contract's week zone (see Weeks). Counting from Monday makes the
// zero value the default (Monday 00:00), so an unset week start can never
// silently mean Sunday.
type WeekStart int

// NewWeekStart returns the week start on day at minute minutes after
// midnight in the week zone.
func NewWeekStart(day time.Weekday, minute int) (WeekStart, error) {
	if day < time.Sunday || day > time.Saturday {
		return 0, fmt.Errorf("%w: weekday %d", ErrInvalidTerms, int(day))
	}
	if minute < 0 || minute >= 24*60 {
		return 0, fmt.Errorf("%w: week start minute %d, want 0 to 1439", ErrInvalidTerms, minute)
	}
	daysAfterMonday := (int(day) + 6) % 7
	return WeekStart(daysAfterMonday*24*60 + minute), nil
}

func (w WeekStart) valid() bool { return w >= 0 && w < minutesPerWeek }

// Weekday is the day the week starts on.
func (w WeekStart) Weekday() time.Weekday { return time.Weekday((int(w)/(24*60) + 1) % 7) }

// Minute is the minute after local midnight the week starts at.
func (w WeekStart) Minute() int { return int(w) % (24 * 60) }

// String reads like "Monday 00:00"; Weeks.String adds the zone.
func (w WeekStart) String() string {
	return fmt.Sprintf("%s %02d:%02d", w.Weekday(), w.Minute()/60, w.Minute()%60)
}

// isoWeekday and fromISO convert to the wire form: ISO 8601 weekday
// numbers (1 = Monday … 7 = Sunday) plus minutes after midnight, which
// reads plainly in the format spec.
func (w WeekStart) isoWeekday() uint8 { return uint8(int(w)/(24*60) + 1) }

func weekStartFromWire(isoDay uint8, minute uint16) (WeekStart, error) {
	if isoDay < 1 || isoDay > 7 || minute >= 24*60 {
		return 0, fmt.Errorf("week start day %d minute %d is outside the week", isoDay, minute)
	}
	return WeekStart((int(isoDay)-1)*24*60 + int(minute)), nil
}
