package contract

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Limits on terms. They keep an invite small enough for a QR code and keep
// nonsense (a 200-hour week) out of signed records.
const (
	MaxScreenshots      = 3
	MaxWeeklyLimitHours = 168
	maxTitleRunes       = 200
	maxNameRunes        = 80
	maxAddrs            = 16
	maxAddrLen          = 256
	maxReasonRunes      = 500
	// DefaultReviewDays is the review period of offers that name none.
	DefaultReviewDays = 5
	// MaxReviewDays keeps a week disputable for at most a month.
	MaxReviewDays = 30
)

// Terms are what an employer offers and a contractor consents to. The zero
// value is a valid starting point except for Title and Currency; see
// DefaultTerms for the usual choices.
type Terms struct {
	Title string
	// RateMinor is the hourly rate in the currency's minor units (cents for
	// USD, yen for JPY): integers, so totals never drift.
	RateMinor int64
	// Currency is an ISO 4217 code, three capital letters.
	Currency string
	// WeeklyLimitHours caps tracked hours per week; 0 means no limit.
	WeeklyLimitHours int
	OverLimit        OverLimitPolicy
	// Screenshots per 10-minute segment, 0 to MaxScreenshots.
	Screenshots      int
	Blur             BlurPolicy
	Webcam           WebcamPolicy
	ActivityCounting bool
	ManualTime       bool
	WeekStart        WeekStart
	// WeekZone is the IANA zone (Europe/Berlin) whose local time WeekStart
	// is in; "" is UTC. See Weeks.
	WeekZone string
	// Unverified is how time recorded without what the terms ask for
	// (a Wayland session without screenshots, say) is billed.
	Unverified UnverifiedPolicy
	// CloseAfterHours is how long after a week's end the week closes for
	// new entries (late approvals go in meanwhile); 0 means weeks never
	// close, as under offers made before weeks closed.
	CloseAfterHours int
	// ReviewDays is how long the employer may dispute a week's segments
	// once the week has closed; 0 means DefaultReviewDays.
	ReviewDays int
}

// DefaultCloseAfterHours gives late approvals a day after the week.
const DefaultCloseAfterHours = 24

// MaxCloseAfterHours keeps a week's close within two weeks of its end.
const MaxCloseAfterHours = 14 * 24

// DefaultTerms returns the terms `contract offer` starts from: one
// screenshot per segment, activity counted, no blur, no webcam, no manual
// time, stop at the limit, weeks starting Monday 00:00 UTC that close a
// day after they end.
func DefaultTerms() Terms {
	return Terms{Screenshots: 1, ActivityCounting: true, CloseAfterHours: DefaultCloseAfterHours}
}

// Validate reports the first problem with t, wrapped in ErrInvalidTerms.
func (t Terms) Validate() error {
	if err := t.check(); err != nil {
		return fmt.Errorf("%w: %v", ErrInvalidTerms, err)
	}
	return nil
}

func (t Terms) check() error {
	if err := checkText("title", t.Title, maxTitleRunes); err != nil {
		return err
	}
	if err := checkCurrency(t.Currency); err != nil {
		return err
	}
	if t.RateMinor < 0 {
		return fmt.Errorf("the rate must not be negative")
	}
	if t.WeeklyLimitHours < 0 || t.WeeklyLimitHours > MaxWeeklyLimitHours {
		return fmt.Errorf("weekly limit is %d hours, want 0 (no limit) to %d", t.WeeklyLimitHours, MaxWeeklyLimitHours)
	}
	if t.ReviewDays < 0 || t.ReviewDays > MaxReviewDays {
		return fmt.Errorf("review period is %d days, want 0 (the default, %d) to %d", t.ReviewDays, DefaultReviewDays, MaxReviewDays)
	}
	if t.Screenshots < 0 || t.Screenshots > MaxScreenshots {
		return fmt.Errorf("screenshots per 10 minutes is %d, want 0 to %d", t.Screenshots, MaxScreenshots)
	}
	if !t.OverLimit.valid() || !t.Blur.valid() || !t.Webcam.valid() || !t.Unverified.valid() {
		return fmt.Errorf("unknown over-limit, blur, webcam or unverified-time policy")
	}
	// A webcam photo is taken with each screenshot; with no screenshots the
	// consent text would promise something that never happens.
	if t.Webcam == WebcamOptional && t.Screenshots == 0 {
		return fmt.Errorf("webcam photos are taken with screenshots: set screenshots to 1-%d or turn the webcam off", MaxScreenshots)
	}
	if t.CloseAfterHours < 0 || t.CloseAfterHours > MaxCloseAfterHours {
		return fmt.Errorf("a week closes %d hours after its end, want 0 (never) to %d", t.CloseAfterHours, MaxCloseAfterHours)
	}
	if !t.WeekStart.valid() {
		return fmt.Errorf("week start %d is outside the week", int(t.WeekStart))
	}
	if _, err := loadZone(t.WeekZone); err != nil {
		return err
	}
	return nil
}

// checkText accepts 1 to max printable runes after trimming, so names and
// titles show the same on every screen and cannot hide control characters.
func checkText(what, s string, max int) error {
	if !utf8.ValidString(s) {
		return fmt.Errorf("%s is not valid UTF-8", what)
	}
	if strings.TrimSpace(s) != s {
		return fmt.Errorf("%s has leading or trailing spaces", what)
	}
	if n := utf8.RuneCountInString(s); n == 0 || n > max {
		return fmt.Errorf("%s must be 1 to %d characters", what, max)
	}
	for _, r := range s {
		if !unicode.IsPrint(r) {
			return fmt.Errorf("%s contains a control or invisible character", what)
		}
	}
	return nil
}

// OverLimitPolicy says what happens when the weekly limit is reached.
type OverLimitPolicy uint8

// Over-limit policies.
const (
	OverLimitStop         OverLimitPolicy = 0 // tracking stops at the limit
	OverLimitContinueMark OverLimitPolicy = 1 // tracking continues; the time is marked over-limit
)

// BlurPolicy says whether screenshots are blurred.
type BlurPolicy uint8

// Blur policies.
const (
	BlurOff      BlurPolicy = 0 // screenshots are kept sharp
	BlurAllowed  BlurPolicy = 1 // the contractor may blur a screenshot
	BlurRequired BlurPolicy = 2 // every screenshot is blurred before it is written
)

// WebcamPolicy says whether webcam photos may be taken.
type WebcamPolicy uint8

// Webcam policies.
const (
	WebcamOff      WebcamPolicy = 0
	WebcamOptional WebcamPolicy = 1 // only if the contractor switches it on
)

var (
	overLimitNames = []string{"stop", "continue-and-mark"}
	blurNames      = []string{"off", "allowed", "required"}
	webcamNames    = []string{"off", "optional"}
)

func (p OverLimitPolicy) valid() bool { return int(p) < len(overLimitNames) }
func (p BlurPolicy) valid() bool      { return int(p) < len(blurNames) }
func (p WebcamPolicy) valid() bool    { return int(p) < len(webcamNames) }

// String returns the CLI spelling: stop or continue-and-mark.
func (p OverLimitPolicy) String() string { return enumName(overLimitNames, int(p)) }

// String returns the CLI spelling: off, allowed or required.
func (p BlurPolicy) String() string { return enumName(blurNames, int(p)) }

// String returns the CLI spelling: off or optional.
func (p WebcamPolicy) String() string { return enumName(webcamNames, int(p)) }

// ParseOverLimitPolicy reads "stop" or "continue-and-mark".
func ParseOverLimitPolicy(s string) (OverLimitPolicy, error) {
	i, err := parseEnum("over-limit policy", overLimitNames, s)
	return OverLimitPolicy(i), err
}

// ParseBlurPolicy reads "off", "allowed" or "required".
func ParseBlurPolicy(s string) (BlurPolicy, error) {
	i, err := parseEnum("blur policy", blurNames, s)
	return BlurPolicy(i), err
}

// ParseWebcamPolicy reads "off" or "optional".
func ParseWebcamPolicy(s string) (WebcamPolicy, error) {
	i, err := parseEnum("webcam policy", webcamNames, s)
	return WebcamPolicy(i), err
}

func enumName(names []string, i int) string {
	if i < 0 || i >= len(names) {
		return fmt.Sprintf("unknown(%d)", i)
	}
	return names[i]
}

func parseEnum(what string, names []string, s string) (int, error) {
	for i, n := range names {
		if s == n {
			return i, nil
		}
	}
	return 0, fmt.Errorf("%s %q: want one of %s", what, s, strings.Join(names, ", "))
}
