package contract

import "github.com/workdiary/workdiary/internal/ledger"

// UnverifiedPolicy says how a timesheet counts time recorded in a session
// that could not record all the terms ask for: screenshots the desktop did
// not allow, input it hid (an entry's limits, docs/format.md §2.2).
type UnverifiedPolicy uint8

// Unverified-time policies. The zero value is the default, so an offer
// made before the term existed reads as "separate".
const (
	// UnverifiedSeparate: the time is billed but listed apart, so the
	// employer sees how much of the week it is.
	UnverifiedSeparate UnverifiedPolicy = 0
	// UnverifiedBill: the time counts like any other.
	UnverifiedBill UnverifiedPolicy = 1
	// UnverifiedExclude: the time is listed but not billed.
	UnverifiedExclude UnverifiedPolicy = 2
)

var unverifiedNames = []string{"separate", "bill", "exclude"}

func (p UnverifiedPolicy) valid() bool { return int(p) < len(unverifiedNames) }

// String returns the CLI spelling: separate, bill or exclude.
func (p UnverifiedPolicy) String() string { return enumName(unverifiedNames, int(p)) }

// ParseUnverifiedPolicy reads "separate", "bill" or "exclude".
func ParseUnverifiedPolicy(s string) (UnverifiedPolicy, error) {
	i, err := parseEnum("unverified policy", unverifiedNames, s)
	return UnverifiedPolicy(i), err
}

// Relevant keeps the limits that withhold something these terms ask for:
// missing screenshots matter only when the terms take screenshots, missing
// input counts only when they count activity; an unknown app always does,
// since every diary names its apps.
func (t Terms) Relevant(l ledger.Limits) ledger.Limits {
	if t.Screenshots == 0 {
		l &^= ledger.LimitNoScreenshots
	}
	if !t.ActivityCounting {
		l &^= ledger.LimitNoInputCounts | ledger.LimitIdleNotified
	}
	return l
}

// UnverifiedTime reports whether an entry holds time these terms call
// unverified: its session could not record something they ask for.
func (t Terms) UnverifiedTime(e ledger.Entry) bool { return t.Relevant(e.Limits) != 0 }

func (t Terms) unverifiedLine() string {
	switch t.Unverified {
	case UnverifiedBill:
		return "Time recorded where the desktop does not allow screenshots or input counts is billed like other time, and marked"
	case UnverifiedExclude:
		return "Time recorded where the desktop does not allow screenshots or input counts is not billed"
	}
	return "Time recorded where the desktop does not allow screenshots or input counts is billed but shown apart"
}
