package contract

import (
	"fmt"
	"math"
	"strings"
)

// minorDigits lists ISO 4217 currencies whose minor unit is not 2 digits.
// Every other well-formed code is assumed to use 2, which is right for
// nearly all currencies in use; a wrong guess only changes where the
// decimal point is shown, never the signed integer amount.
var minorDigits = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0,
	"KRW": 0, "PYG": 0, "RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0,
	"XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// MinorDigits is the number of decimal places of currency's minor unit.
func MinorDigits(currency string) int {
	if d, ok := minorDigits[currency]; ok {
		return d
	}
	return 2
}

func checkCurrency(c string) error {
	if len(c) != 3 || strings.IndexFunc(c, func(r rune) bool { return r < 'A' || r > 'Z' }) >= 0 {
		return fmt.Errorf("currency %q: want an ISO 4217 code, three capital letters such as USD", c)
	}
	return nil
}

// ParseRate reads a decimal amount such as "35.00" or "35" in currency and
// returns it in minor units (3500 for USD, 35 for JPY). It refuses negative
// amounts and more decimals than the currency has, rather than rounding
// someone's pay.
func ParseRate(amount, currency string) (int64, error) {
	if err := checkCurrency(currency); err != nil {
		return 0, err
	}
	s := strings.TrimSpace(amount)
	if strings.HasPrefix(s, "-") {
		return 0, fmt.Errorf("rate %q: must not be negative", amount)
	}
	whole, frac, hasDot := strings.Cut(s, ".")
	digits := MinorDigits(currency)
	switch {
	case whole == "" || !allDigits(whole) || !allDigits(frac) || (hasDot && frac == ""):
		return 0, fmt.Errorf("rate %q: want a number such as 35.00", amount)
	case len(frac) > digits:
		return 0, fmt.Errorf("rate %q: %s has %d decimal places", amount, currency, digits)
	}
	frac += strings.Repeat("0", digits-len(frac))
	var v int64
	for _, r := range whole + frac {
		d := int64(r - '0')
		if v > (math.MaxInt64-d)/10 {
			return 0, fmt.Errorf("rate %q: too large", amount)
		}
		v = v*10 + d
	}
	return v, nil
}

func allDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}

// FormatRate renders minor units of currency as a plain decimal string:
// FormatRate(3500, "USD") is "35.00", FormatRate(35, "JPY") is "35". It is
// the inverse of ParseRate.
func FormatRate(minor int64, currency string) string {
	digits := MinorDigits(currency)
	sign := ""
	u := uint64(minor)
	if minor < 0 {
		sign, u = "-", uint64(-(minor+1))+1 // no overflow at MinInt64
	}
	s := fmt.Sprintf("%0*d", digits+1, u)
	if digits == 0 {
		return sign + s
	}
	return sign + s[:len(s)-digits] + "." + s[len(s)-digits:]
}
