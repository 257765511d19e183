package timesheet

import (
	"crypto/ed25519"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/libp2p/go-libp2p/core/crypto"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// Week 2026-W48 runs Monday 23 to Sunday 29 November 2026 (UTC).
var (
	monday     = time.Date(2026, 11, 23, 0, 0, 0, 0, time.UTC)
	offeredAt  = time.Date(2026, 11, 19, 10, 0, 0, 0, time.UTC)
	acceptedAt = time.Date(2026, 11, 20, 8, 0, 0, 0, time.UTC)
)

func seedKey(b byte) ed25519.PrivateKey {
	seed := make([]byte, ed25519.SeedSize)
	for i := range seed {
		seed[i] = b + byte(i)
	}
	return ed25519.NewKeyFromSeed(seed)
}

// seedIdentity is a real identity (written and loaded by package identity)
// with a fixed key, so signatures and goldens are reproducible.
func seedIdentity(t testing.TB, b byte, name string) *identity.Identity {
	t.Helper()
	k, err := crypto.UnmarshalEd25519PrivateKey(seedKey(b))
	if err != nil {
		t.Fatal(err)
	}
	raw, err := crypto.MarshalPrivateKey(k)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	meta, _ := json.Marshal(map[string]string{"name": name})
	if err := os.WriteFile(filepath.Join(dir, "identity.key"), raw, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "identity.json"), meta, 0o600); err != nil {
		t.Fatal(err)
	}
	id, err := identity.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

func testTerms() contract.Terms {
	t := contract.DefaultTerms()
	t.Title = "Backend work"
	t.RateMinor = 3500
	t.Currency = "USD"
	t.WeeklyLimitHours = 40
	return t
}

// world is one contract with a real signed offer, acceptance and log.
type world struct {
	t        testing.TB
	emp, con *identity.Identity
	offer    *contract.Offer
	acc      *contract.Acceptance
	end      *contract.End
	log      *ledger.Log
	entries  [][]byte
}

func newWorld(t testing.TB, terms contract.Terms) *world {
	t.Helper()
	emp, con := seedIdentity(t, 0x21, "Acme Ltd"), seedIdentity(t, 0x01, "Dana Contractor")
	offer, err := contract.NewOffer(terms, emp, nil, offeredAt)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := contract.Accept(offer, con, nil, acceptedAt)
	if err != nil {
		t.Fatal(err)
	}
	return worldFrom(t, emp, con, offer.Signed(), acc.Signed())
}

func worldFrom(t testing.TB, emp, con *identity.Identity, offerBytes, accBytes []byte) *world {
	t.Helper()
	offer, err := contract.DecodeOffer(offerBytes)
	if err != nil {
		t.Fatal(err)
	}
	acc, err := contract.VerifyAcceptance(accBytes, offer)
	if err != nil {
		t.Fatal(err)
	}
	log, err := ledger.NewLog(con.PrivateKey(), offer.ID(), ledger.Head{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	return &world{t: t, emp: emp, con: con, offer: offer, acc: acc, log: log}
}

func (w *world) append(e ledger.Entry) ledger.Signed {
	w.t.Helper()
	s, err := w.log.Append(e)
	if err != nil {
		w.t.Fatal(err)
	}
	w.entries = append(w.entries, s.Bytes)
	return s
}

// auto appends a tracked segment at start with minutes 0..n-1, every
// third one idle (no input).
func (w *world) auto(start time.Time, n int, memo string) ledger.Signed {
	e := ledger.Entry{Start: start.Unix(), Kind: ledger.KindAuto, Memo: memo, ApprovedAt: start.Unix() + 8*3600}
	for i := range uint8(n) {
		m := ledger.Minute{Index: i}
		if i%3 != 2 {
			m.Keys, m.Clicks, m.Moved = 30+uint32(i), uint32(i%2), true
		}
		e.Minutes = append(e.Minutes, m)
	}
	return w.append(e)
}

// autoRun appends count full segments from start, one after another.
func (w *world) autoRun(start time.Time, count int, memo string) []ledger.Signed {
	var out []ledger.Signed
	for i := range count {
		out = append(out, w.auto(start.Add(time.Duration(i)*10*time.Minute), 10, memo))
	}
	return out
}

func (w *world) manual(start time.Time, memo string) ledger.Signed {
	return w.append(ledger.Entry{Start: start.Unix(), Kind: ledger.KindManual, Memo: memo, ApprovedAt: start.Unix() + 3600})
}

func (w *world) void(s ledger.Signed, reason string) ledger.Signed {
	return w.append(ledger.Void(s.Summary(), reason, s.Entry.ApprovedAt+60))
}

// endAt has the employer end the contract at at, bound into the log an
// hour later, as the contractor's node binds what a sync brings.
func (w *world) endAt(at time.Time) {
	w.t.Helper()
	e, err := contract.NewEnd(w.offer.ID(), w.emp, "Project finished", at)
	if err != nil {
		w.t.Fatal(err)
	}
	w.end = e
	w.bind(e.Signed(), at.Add(time.Hour))
}

// bind appends a record entry binding signed at at.
func (w *world) bind(signed []byte, at time.Time) ledger.Signed {
	return w.append(ledger.BindRecord(signed, at.Unix()))
}

func (w *world) input(week string) Input {
	in := Input{Offer: w.offer.Signed(), Acceptance: w.acc.Signed(), Entries: w.entries, Week: week}
	if w.end != nil {
		in.End = w.end.Signed()
	}
	return in
}

func (w *world) build(week string) Timesheet {
	w.t.Helper()
	ts, err := Build(w.input(week))
	if err != nil {
		w.t.Fatalf("Build: %v", err)
	}
	return ts
}

// checkpoint is signed by the contractor and cosigned by the employer, as
// after a sync, each under their peer ID.
func (w *world) checkpoint() []byte {
	w.t.Helper()
	c := ledger.CheckpointFor(w.log.ID(), w.entries)
	note, err := ledger.SignCheckpoint(w.con.PrivateKey(), w.con.PeerID().String(), c)
	if err != nil {
		w.t.Fatal(err)
	}
	note, err = ledger.Cosign(note, w.emp.PrivateKey(), w.emp.PeerID().String())
	if err != nil {
		w.t.Fatal(err)
	}
	return note
}

// pack returns the signed timesheet and the bundle's zip bytes.
func (w *world) pack(week string, signer *identity.Identity) (Timesheet, []byte) {
	w.t.Helper()
	ts, zipBytes, err := Pack(w.build(week), signer.PrivateKey(), w.checkpoint())
	if err != nil {
		w.t.Fatalf("Pack: %v", err)
	}
	return ts, zipBytes
}

func at(day, hour, minute int) time.Time {
	return monday.AddDate(0, 0, day).Add(time.Duration(hour)*time.Hour + time.Duration(minute)*time.Minute)
}

// mustParse reads a bundle's zip into its members by role.
func mustParse(t testing.TB, zipBytes []byte) bundle {
	t.Helper()
	files, err := readZip(zipBytes)
	if err != nil {
		t.Fatal(err)
	}
	b, err := parseBundle(files)
	if err != nil {
		t.Fatal(err)
	}
	return b
}
