package contract

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/store"
)

// t0 is a Wednesday, so week-start arithmetic has to go back in the week.
var t0 = time.Date(2026, 11, 25, 14, 30, 0, 0, time.UTC)

// nextWeek is the start of the contract week after t0's (a Wednesday).
var nextWeek = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

const employerAddr = "/ip4/127.0.0.1/tcp/4001"

func newIdentity(tb testing.TB, name string) *identity.Identity {
	tb.Helper()
	id, err := identity.Create(tb.TempDir(), name)
	if err != nil {
		tb.Fatal(err)
	}
	return id
}

func testTerms() Terms {
	t := DefaultTerms()
	t.Title = "Backend work"
	t.RateMinor = 3500
	t.Currency = "USD"
	t.WeeklyLimitHours = 40
	t.Screenshots = 2
	t.Blur = BlurAllowed
	return t
}

func newTestOffer(tb testing.TB, employer *identity.Identity) *Offer {
	tb.Helper()
	o, err := NewOffer(testTerms(), employer, []string{employerAddr}, clocktest.New(t0).Now())
	if err != nil {
		tb.Fatal(err)
	}
	return o
}

// openStore opens a real Badger store in dir and closes it at the end of
// the test unless the test closes it first.
func openStore(tb testing.TB, dir string) *store.Store {
	tb.Helper()
	st, err := store.Open(dir)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(func() { st.Close() })
	return st
}

// resign signs w with key, bypassing every check NewOffer makes, so tests
// can build well-signed records with bad contents.
func resign(tb testing.TB, id *identity.Identity, w any) []byte {
	tb.Helper()
	b, err := signRecord(id.PrivateKey(), w)
	if err != nil {
		tb.Fatal(err)
	}
	return b
}
