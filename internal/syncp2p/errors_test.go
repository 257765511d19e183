package syncp2p

import (
	"errors"
	"fmt"
	"testing"
)

// An error that carries two sentinels is sent as the same code on every
// run: the first of codes that matches, whichever way the two are
// combined.
func TestCodeOfTwoSentinelsIsDeterministic(t *testing.T) {
	cases := []struct {
		err  error
		want string
	}{
		{fmt.Errorf("batch 3: %w: %w", ErrRejected, ErrTerms), "terms"},
		{fmt.Errorf("%w: %w", ErrTerms, ErrRejected), "terms"},
		{fmt.Errorf("store: %w", errors.Join(ErrMalformed, ErrUnavailable)), "unavailable"},
		{fmt.Errorf("entry 7: %w", fmt.Errorf("%w: %w", ErrNotFound, ErrDiverged)), "diverged"},
	}
	for _, c := range cases {
		for range 50 {
			if got := codeOf(c.err); got != c.want {
				t.Fatalf("codeOf(%v) = %q; want %q every time", c.err, got, c.want)
			}
		}
	}
}

// Every sentinel has exactly one code, so the order alone decides.
func TestCodesAreDistinct(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range codes {
		if seen[c.code] {
			t.Errorf("code %q listed twice", c.code)
		}
		seen[c.code] = true
		if codeOf(c.err) != c.code {
			t.Errorf("codeOf(%v) = %q; want %q", c.err, codeOf(c.err), c.code)
		}
	}
}
