package contract

import (
	"math"
	"testing"
	"time"
)

func TestParseRate(t *testing.T) {
	tests := []struct {
		amount, currency string
		want             int64
		ok               bool
	}{
		{"35.00", "USD", 3500, true},
		{"35", "USD", 3500, true},
		{"35.5", "EUR", 3550, true},
		{" 0.01 ", "USD", 1, true},
		{"0", "USD", 0, true},
		{"5000", "JPY", 5000, true},
		{"1.250", "KWD", 1250, true},
		{"5000.5", "JPY", 0, false},
		{"35.001", "USD", 0, false},
		{"-35.00", "USD", 0, false},
		{"35,00", "USD", 0, false},
		{"35.", "USD", 0, false},
		{".5", "USD", 0, false},
		{"", "USD", 0, false},
		{"1e3", "USD", 0, false},
		{"35.00", "usd", 0, false},
		{"35.00", "US", 0, false},
		{"35.00", "US$", 0, false},
		{"92233720368547758.07", "USD", math.MaxInt64, true},
		{"92233720368547758.08", "USD", 0, false},
	}
	for _, tt := range tests {
		got, err := ParseRate(tt.amount, tt.currency)
		if (err == nil) != tt.ok || got != tt.want {
			t.Errorf("ParseRate(%q, %q) = %d, %v; want %d, ok=%v", tt.amount, tt.currency, got, err, tt.want, tt.ok)
		}
	}
}

func TestFormatRate(t *testing.T) {
	tests := []struct {
		minor    int64
		currency string
		want     string
	}{
		{3500, "USD", "35.00"},
		{1, "USD", "0.01"},
		{0, "EUR", "0.00"},
		{5000, "JPY", "5000"},
		{1250, "KWD", "1.250"},
		{-3500, "USD", "-35.00"},
		{math.MinInt64, "USD", "-92233720368547758.08"},
	}
	for _, tt := range tests {
		if got := FormatRate(tt.minor, tt.currency); got != tt.want {
			t.Errorf("FormatRate(%d, %s) = %q, want %q", tt.minor, tt.currency, got, tt.want)
		}
		if tt.minor >= 0 {
			back, err := ParseRate(FormatRate(tt.minor, tt.currency), tt.currency)
			if err != nil || back != tt.minor {
				t.Errorf("ParseRate(FormatRate(%d)) = %d, %v", tt.minor, back, err)
			}
		}
	}
}

func TestWeekStart(t *testing.T) {
	if got := (Terms{}).Weeks().String(); got != "Monday 00:00 UTC" {
		t.Errorf("zero WeekStart = %q, want Monday 00:00 UTC", got)
	}
	sun, err := NewWeekStart(time.Sunday, 22*60+30)
	if err != nil {
		t.Fatal(err)
	}
	if got := (Terms{WeekStart: sun}).Weeks().String(); got != "Sunday 22:30 UTC" {
		t.Errorf("String = %q, want Sunday 22:30 UTC", got)
	}
	if sun.Weekday() != time.Sunday || sun.Minute() != 22*60+30 {
		t.Errorf("Weekday, Minute = %v, %d", sun.Weekday(), sun.Minute())
	}
	tests := []struct {
		w    WeekStart
		at   time.Time
		want time.Time
	}{
		{0, t0, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)},
		{0, time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC), time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)},
		{sun, t0, time.Date(2026, 11, 22, 22, 30, 0, 0, time.UTC)},
		{sun, time.Date(2026, 11, 29, 22, 29, 0, 0, time.UTC), time.Date(2026, 11, 22, 22, 30, 0, 0, time.UTC)},
		{sun, time.Date(2026, 11, 29, 22, 30, 0, 0, time.UTC), time.Date(2026, 11, 29, 22, 30, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		if got := (Terms{WeekStart: tt.w}).Weeks().Begin(tt.at); !got.Equal(tt.want) {
			t.Errorf("%v.Begin(%v) = %v, want %v", tt.w, tt.at, got, tt.want)
		}
	}
	if _, err := NewWeekStart(time.Monday, 24*60); err == nil {
		t.Error("NewWeekStart(Monday, 1440) succeeded, want an error")
	}
	for d := time.Sunday; d <= time.Saturday; d++ {
		w, _ := NewWeekStart(d, 61)
		back, err := weekStartFromWire(w.isoWeekday(), uint16(w.Minute()))
		if err != nil || back != w || w.Weekday() != d {
			t.Errorf("weekday %v: wire round trip %v, %v", d, back, err)
		}
	}
}
