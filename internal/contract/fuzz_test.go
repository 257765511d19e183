package contract

import (
	"bytes"
	"errors"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/cose"
)

// seedRecords returns one valid record of each kind.
func seedRecords(f *testing.F) (offer, acceptance, end, amendment []byte) {
	emp, con := newIdentity(f, "Acme"), newIdentity(f, "Dana")
	o := newTestOffer(f, emp)
	a, err := Accept(o, con, []string{"/ip4/10.0.0.2/udp/4001/quic-v1"}, t0)
	if err != nil {
		f.Fatal(err)
	}
	e, err := NewEnd(o.ID(), con, "Finished", t0.Add(time.Hour))
	if err != nil {
		f.Fatal(err)
	}
	am, err := NewAmendment(o, emp, 1, Change{RateMinor: 4000, WeeklyLimitHours: 20, From: nextWeek}, t0)
	if err != nil {
		f.Fatal(err)
	}
	return o.Signed(), a.Signed(), e.Signed(), am.Signed()
}

// sameEncoding checks that a record that decoded re-encodes to the exact
// payload it came from: one record, one byte form.
func sameEncoding(t *testing.T, signed []byte, wire any) {
	t.Helper()
	m, err := cose.Open(signed)
	if err != nil {
		t.Fatalf("decoded but does not open: %v", err)
	}
	again, err := cose.Marshal(wire)
	if err != nil || !bytes.Equal(again, m.Payload) {
		t.Fatalf("re-encoding differs:\n got %x\nwant %x (%v)", again, m.Payload, err)
	}
}

func FuzzDecodeInvite(f *testing.F) {
	offer, acceptance, _, _ := seedRecords(f)
	code := encodeInvite(offer, nil)
	for _, s := range []string{code, " " + code[:100] + "\n" + code[100:], encodeInvite(acceptance, nil),
		"wdinv1-", "wdinv2-abc", "WDINV1-AAAAAAAAAAAA", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		o, err := DecodeInvite(s)
		if err != nil {
			return
		}
		if got := o.Invite(); got != normalizedInvite(s) {
			t.Fatalf("invite %q decodes but re-encodes as %q", s, got)
		}
		sameEncoding(t, o.Signed(), o.wire())
	})
}

func normalizedInvite(s string) string {
	var b bytes.Buffer
	for _, r := range s {
		if r = normalizeInviteRune(r); r >= 0 {
			b.WriteRune(r)
		}
	}
	return b.String()
}

func FuzzDecodeOffer(f *testing.F) {
	offer, acceptance, _, _ := seedRecords(f)
	f.Add(offer)
	f.Add(acceptance)
	// Offers in a week zone, and one whose zone does not exist.
	emp := newIdentity(f, "Acme")
	zoned := newTestOffer(f, emp).wire()
	for _, zone := range []string{"Europe/Berlin", "America/New_York", "Mars/Olympus_Mons"} {
		zoned.WeekZone = zone
		f.Add(resign(f, emp, zoned))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if o, err := DecodeOffer(b); err == nil {
			sameEncoding(t, b, o.wire())
			if !bytes.Equal(o.Signed(), b) || o.ID() != idOf(b) {
				t.Fatal("offer does not keep its exact bytes")
			}
		}
	})
}

func FuzzDecodeAcceptance(f *testing.F) {
	offer, acceptance, _, _ := seedRecords(f)
	f.Add(acceptance)
	f.Add(offer)
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := DecodeAcceptance(b); err == nil {
			sameEncoding(t, b, a.wire())
		}
	})
}

func FuzzDecodeEnd(f *testing.F) {
	_, _, end, amendment := seedRecords(f)
	f.Add(end)
	f.Add(amendment)
	f.Fuzz(func(t *testing.T, b []byte) {
		if e, err := DecodeEnd(b); err == nil {
			sameEncoding(t, b, e.wire())
		}
	})
}

func FuzzDecodeAmendment(f *testing.F) {
	_, _, end, amendment := seedRecords(f)
	f.Add(amendment)
	f.Add(end)
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := DecodeAmendment(b); err == nil {
			sameEncoding(t, b, a.wire())
		}
	})
}

// FuzzStoredContract covers the registry's own record, read back from disk.
func FuzzStoredContract(f *testing.F) {
	offer, acceptance, end, amendment := seedRecords(f)
	w := storedWire{Version: 1, Role: 2, State: 4, Offer: offer, Acceptance: acceptance,
		Bound: []boundWire{{Record: amendment, At: t0.Unix()}, {Record: end, At: t0.Add(time.Hour).Unix()}}}
	if _, err := contractFromStored(w); err != nil {
		f.Fatalf("seed does not decode: %v", err)
	}
	b, err := cose.Marshal(w)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(b)
	f.Fuzz(func(t *testing.T, b []byte) {
		var w storedWire
		if cose.Unmarshal(b, &w) != nil {
			return
		}
		c, err := contractFromStored(w)
		if err != nil {
			return
		}
		again, err := cose.Marshal(c.stored())
		if err != nil || !bytes.Equal(again, b) {
			t.Fatalf("stored contract re-encodes differently: %x", again)
		}
	})
}

// seedChanges returns a pause, a resumption, a dispute and its answer.
func seedChanges(f *testing.F) [][]byte {
	emp, con := newIdentity(f, "Acme"), newIdentity(f, "Dana")
	o := newTestOffer(f, emp)
	p, err1 := NewHold(o.ID(), emp, false, "Holiday", t0)
	r, err2 := NewHold(o.ID(), con, true, "", t0.Add(time.Hour))
	d, err3 := NewDispute(o, emp, []time.Time{t0.Truncate(time.Hour)}, "Not this project", nextWeek.AddDate(0, 0, 2))
	if err := errors.Join(err1, err2, err3); err != nil {
		f.Fatal(err)
	}
	a, err := NewAnswer(d, con, "It was", nextWeek.AddDate(0, 0, 3))
	if err != nil {
		f.Fatal(err)
	}
	return [][]byte{p.Signed(), r.Signed(), d.Signed(), a.Signed()}
}

func FuzzDecodeHold(f *testing.F) {
	for _, b := range seedChanges(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if h, err := DecodeHold(b); err == nil {
			sameEncoding(t, b, h.wire())
		}
	})
}

func FuzzDecodeDispute(f *testing.F) {
	for _, b := range seedChanges(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if d, err := DecodeDispute(b); err == nil {
			sameEncoding(t, b, d.wire())
		}
	})
}

func FuzzDecodeAnswer(f *testing.F) {
	for _, b := range seedChanges(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		if a, err := DecodeAnswer(b); err == nil {
			sameEncoding(t, b, a.wire())
		}
	})
}

// FuzzLifecycleBind binds arbitrary bytes as a change of a contract: it
// never panics, and a refused record changes nothing.
func FuzzLifecycleBind(f *testing.F) {
	emp, con := newIdentity(f, "Acme"), newIdentity(f, "Dana")
	o := newTestOffer(f, emp)
	acc, err := Accept(o, con, nil, t0)
	if err != nil {
		f.Fatal(err)
	}
	for _, b := range seedChanges(f) {
		f.Add(b, int64(0))
	}
	f.Fuzz(func(t *testing.T, b []byte, offset int64) {
		l := NewLifecycle(o, acc)
		at := t0.Add(time.Duration(offset%(1<<40)) * time.Second)
		if err := l.Bind(b, at); err != nil {
			if l.Has(b) || l.End != nil || len(l.Holds)+len(l.Amendments)+len(l.Disputes)+len(l.Answers) != 0 {
				t.Fatalf("refused (%v) but changed the lifecycle", err)
			}
		}
	})
}
