package ledger

import (
	"errors"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/cose"
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

// TestUndefinedLimitBitsRefusedOnTheWire: a peer's entry with a limit bit
// this format does not define is refused, not read as some other limit.
func TestUndefinedLimitBitsRefusedOnTheWire(t *testing.T) {
	logID := LogIDOf(testContract, pub(contractorKey))
	payload, err := cose.Marshal(map[int]any{1: 1, 2: testContract[:], 3: logID[:], 4: 1,
		5: make([]byte, 32), 6: day0900, 7: 0, 8: []any{[]any{0, 0, 0, 0, true}}, 12: day1800, 14: 16})
	if err != nil {
		t.Fatal(err)
	}
	msg, err := cose.Sign(contractorKey, payload)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := OpenEntry(msg); !errors.Is(err, ErrInvalidEntry) || !strings.Contains(err.Error(), "limits") {
		t.Fatalf("OpenEntry = %v, want ErrInvalidEntry about the limits", err)
	}
}
