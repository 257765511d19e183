package main

import (
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/node"
)

// Each state of a week reads as one line, its disputes and answers below.
func TestPrintWeek(t *testing.T) {
	start := time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	deadline, review := start.AddDate(0, 0, 8), start.AddDate(0, 0, 13)
	for _, tt := range []struct {
		w    node.WeekView
		want string
	}{
		{node.WeekView{Week: "2026-W48", Start: start, State: node.WeekOpen}, "2026-W48 (2026-11-23)  open (this contract's weeks never close)\n"},
		{node.WeekView{Week: "2026-W48", Start: start, State: node.WeekOpen, Deadline: &deadline, Unapproved: 2},
			"2026-W48 (2026-11-23)  open, closes at 2026-12-01 00:00 UTC; 2 segments still unapproved\n"},
		{node.WeekView{Week: "2026-W48", Start: start, State: node.WeekClosing, Deadline: &deadline},
			"2026-W48 (2026-11-23)  closing at 2026-12-01 00:00 UTC\n"},
		{node.WeekView{Week: "2026-W48", Start: start, State: node.WeekClosed, Deadline: &deadline, ReviewUntil: &review},
			"2026-W48 (2026-11-23)  closed, waiting for both signatures on its close (next sync); review window ended 2026-12-06 00:00 UTC\n"},
		{node.WeekView{Week: "2026-W48", Start: start, State: node.WeekClosed, Cosigned: true, ClosedSize: 7, ReviewUntil: &review, Reviewing: true,
			Disputes: []node.DisputeView{{ID: strings.Repeat("ab", 32), Minutes: 10, Reason: "Not this project",
				Answers: []node.AnswerView{{At: review.Add(-time.Hour), Text: "It was the release"}}}}},
			"2026-W48 (2026-11-23)  closed at log size 7, cosigned by both; disputes until 2026-12-06 00:00 UTC\n" +
				"  dispute abababababab, 10 min: Not this project\n" +
				"    answered 2026-12-05 23:00 UTC: It was the release\n"},
	} {
		var b strings.Builder
		printWeek(&b, tt.w)
		if b.String() != tt.want {
			t.Errorf("printWeek:\n%s\nwant\n%s", b.String(), tt.want)
		}
	}
}
