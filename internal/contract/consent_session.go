package contract

import (
	"fmt"

	"github.com/workdiary/workdiary/internal/ledger"
)

// SessionConsent returns the lines that say what the desktop session the
// contractor is in now (session, e.g. "Wayland") will not let the tracker
// record of what these terms ask for, how that time is billed, and what to
// do about it; none when the session records everything. The consent
// screen, `contract accept` and `track` show them under Consent's lines.
func (t Terms) SessionConsent(session string, l ledger.Limits) []string {
	if l = t.Relevant(l); l == 0 {
		return nil
	}
	var lines []string
	if l&ledger.LimitNoScreenshots != 0 {
		lines = append(lines, fmt.Sprintf("In this %s session screenshots cannot be taken: time is recorded without them and marked so in the log", session))
	}
	if l&ledger.LimitIdleNotified != 0 {
		lines = append(lines, fmt.Sprintf("In this %s session activity is counted as active minutes from the desktop's idle notifications, not key presses and clicks", session))
	} else if l&ledger.LimitNoInputCounts != 0 {
		lines = append(lines, fmt.Sprintf("In this %s session key presses and clicks in native Wayland windows cannot be counted: those minutes may show as idle", session))
	}
	if l&ledger.LimitNoApps != 0 {
		lines = append(lines, fmt.Sprintf("In this %s session the app in front is not always visible: that time shows as \"unknown\"", session))
	}
	policy := map[UnverifiedPolicy]string{
		UnverifiedSeparate: "billed but shown apart on the timesheet",
		UnverifiedBill:     "billed like other time, and marked",
		UnverifiedExclude:  "not billed",
	}[t.Unverified]
	return append(lines, "Such time is "+policy+
		". To record everything, log in to an X11 session, or allow Workdiary the desktop's screenshot permission when it asks")
}
