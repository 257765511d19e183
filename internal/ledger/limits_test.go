package ledger

import (
	"errors"
	"strings"
	"testing"
)

// TestLimitsTravelInTheSignedEntry: what a session could not record is
// part of the signed bytes, so the employer reads it, and an entry without
// limits keeps the bytes it always had (no key 14).
func TestLimitsTravelInTheSignedEntry(t *testing.T) {
	l, err := NewLog(contractorKey, testContract, Head{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	plain, err := l.Append(autoEntry(day0900))
	if err != nil {
		t.Fatal(err)
	}
	limited, err := l.Append(limitedEntry(day0900 + 600))
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		s    Signed
		want Limits
	}{{plain, 0}, {limited, LimitNoScreenshots | LimitIdleNotified | LimitNoApps}} {
		e, err := OpenEntry(tt.s.Bytes)
		if err != nil {
			t.Fatal(err)
		}
		if e.Entry.Limits != tt.want {
			t.Errorf("seq %d: limits %v, want %v", e.Entry.Seq, e.Entry.Limits, tt.want)
		}
	}
	if got := limited.Entry.Limits.String(); !strings.Contains(got, "screenshots unavailable in this session") ||
		!strings.Contains(got, "activity counted from idle notifications, not input counts") {
		t.Errorf("reasons %q do not say what was missing", got)
	}
}

func TestLimitsRefusedWhereTheyMeanNothing(t *testing.T) {
	manual := manualEntry(day0900, "call")
	manual.Seq, manual.Limits = 1, LimitNoScreenshots
	if err := Validate(manual); !errors.Is(err, ErrInvalidEntry) {
		t.Errorf("manual entry with limits: %v, want ErrInvalidEntry", err)
	}
	auto := limitedEntry(day0900)
	auto.Seq, auto.Limits = 1, 1<<6
	if err := Validate(auto); !errors.Is(err, ErrInvalidEntry) {
		t.Errorf("undefined limit bit: %v, want ErrInvalidEntry", err)
	}
}
