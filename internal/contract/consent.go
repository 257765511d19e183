package contract

import "fmt"

// Consent returns the lines a contractor reads before accepting: exactly
// what will be recorded and on what terms, in plain words, one fact per
// line. The consent screen and `contract accept` show these and nothing
// weaker, so the lines must stay true to what the tracker does.
func (o *Offer) Consent() []string {
	t := o.Terms
	lines := []string{fmt.Sprintf("Rate: %s %s per hour", FormatRate(t.RateMinor, t.Currency), t.Currency)}
	lines = append(lines, t.limitLine())
	lines = append(lines, t.screenshotLines()...)
	if t.ActivityCounting {
		lines = append(lines, "Counts of key presses, mouse clicks and scrolls per minute — never which keys or what you type")
	} else {
		lines = append(lines, "No keyboard or mouse activity is counted")
	}
	// App and window sampling is part of every diary (see docs/design.md,
	// Recording), so it is always disclosed.
	lines = append(lines, "The name of the app you are using and its window title, every few seconds")
	lines = append(lines, t.unverifiedLine())
	if t.ManualTime {
		lines = append(lines, "Manual time is allowed")
	} else {
		lines = append(lines, "Manual time is not allowed")
	}
	lines = append(lines, "Weeks start "+t.Weeks().String())
	if t.CloseAfterHours > 0 {
		lines = append(lines, fmt.Sprintf("A week closes %s after it ends: time approved later cannot be billed for it, only as a correction in the current week", hoursText(t.CloseAfterHours)))
	}
	return append(lines, t.reviewLine())
}

func hoursText(h int) string {
	if h == 1 {
		return "1 hour"
	}
	return fmt.Sprintf("%d hours", h)
}

func (t Terms) reviewLine() string {
	days := t.ReviewDays
	if days == 0 {
		days = DefaultReviewDays
	}
	return fmt.Sprintf("Once a week has closed, the employer has %d days to dispute its time, with a reason you can answer", days)
}

func (t Terms) limitLine() string {
	if t.WeeklyLimitHours == 0 {
		return "No weekly limit"
	}
	unit := "hours"
	if t.WeeklyLimitHours == 1 {
		unit = "hour"
	}
	if t.OverLimit == OverLimitContinueMark {
		return fmt.Sprintf("Weekly limit: %d %s; time over the limit is still recorded and marked as over the limit", t.WeeklyLimitHours, unit)
	}
	return fmt.Sprintf("Weekly limit: %d %s; tracking stops at the limit", t.WeeklyLimitHours, unit)
}

func (t Terms) screenshotLines() []string {
	if t.Screenshots == 0 {
		return []string{"No screenshots", "No webcam"}
	}
	shots := fmt.Sprintf("%d screenshots of all your monitors at random moments in every 10 minutes", t.Screenshots)
	if t.Screenshots == 1 {
		shots = "1 screenshot of all your monitors at a random moment in every 10 minutes"
	}
	lines := []string{shots}
	switch t.Blur {
	case BlurRequired:
		lines = append(lines, "Screenshots are blurred before they are saved")
	case BlurAllowed:
		lines = append(lines, "You may blur screenshots")
	default:
		lines = append(lines, "Screenshots are not blurred")
	}
	if t.Webcam == WebcamOptional {
		return append(lines, "A webcam photo with each screenshot, only if you switch it on")
	}
	return append(lines, "No webcam")
}
