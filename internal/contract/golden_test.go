package contract

import (
	"crypto/ed25519"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var update = flag.Bool("update", false, "rewrite testdata/records.golden")

func fixedKey(seed byte) ed25519.PrivateKey {
	return ed25519.NewKeyFromSeed([]byte(strings.Repeat(string(rune(seed)), ed25519.SeedSize)))
}

// goldenRecords signs one record of each kind from fixed keys, nonce and
// times. Ed25519 is deterministic, so the bytes are too: the golden file
// pins the wire format, and a changed encoding fails loudly.
func goldenRecords(t *testing.T) []string {
	emp, con := fixedKey(1), fixedKey(2)
	// The first offers are made as before weeks closed (no close-after,
	// key 20), so their bytes show old offers still read the same.
	terms := testTerms()
	terms.CloseAfterHours = 0
	o := &Offer{Terms: terms, CreatedAt: t0, EmployerName: "Acme Ltd",
		EmployerKey: emp.Public().(ed25519.PublicKey), EmployerAddrs: []string{employerAddr}}
	copy(o.Nonce[:], "0123456789abcdef")
	offer, err := DecodeOffer(resignKey(t, emp, o.wire()))
	if err != nil {
		t.Fatal(err)
	}
	a := &Acceptance{ContractID: offer.ID(), Contractor: Party{Name: "Dana", PublicKey: con.Public().(ed25519.PublicKey)},
		Addrs: []string{}, AcceptedAt: t0.Add(time.Hour)}
	e := &End{ContractID: offer.ID(), At: t0.Add(48 * time.Hour), Reason: "Project finished"}
	// An amendment as first specified (no rate, no start week) still reads.
	oldAm := amendmentWire{Kind: kindAmendment, Version: recordVersion, ContractID: offer.ID().Bytes(), Seq: 1,
		WeeklyLimit: 20, At: t0.Add(24 * time.Hour).Unix()}
	am := &Amendment{ContractID: offer.ID(), Seq: 1, WeeklyLimitHours: 20, RateMinor: 4000, From: nextWeek, At: t0.Add(24 * time.Hour)}
	pause := endWire{Kind: kindPause, Version: recordVersion, ContractID: offer.ID().Bytes(), At: t0.Add(30 * time.Hour).Unix(), Reason: "Holiday"}
	resume := endWire{Kind: kindResume, Version: recordVersion, ContractID: offer.ID().Bytes(), At: t0.Add(50 * time.Hour).Unix()}
	dispute := disputeWire{Kind: kindDispute, Version: recordVersion, ContractID: offer.ID().Bytes(), At: nextWeek.Add(50 * time.Hour).Unix(),
		Reason: "Not this project", Segments: []int64{t0.Add(-30 * time.Minute).Unix(), t0.Add(-20 * time.Minute).Unix()}}
	disputeHash := sha256.Sum256(resignKey(t, emp, dispute))
	answer := answerWire{Kind: kindAnswer, Version: recordVersion, ContractID: offer.ID().Bytes(), At: nextWeek.Add(60 * time.Hour).Unix(),
		Text: "The release ran late", Dispute: disputeHash[:]}
	o.Unverified = UnverifiedExclude
	excl, err := DecodeOffer(resignKey(t, emp, o.wire()))
	if err != nil {
		t.Fatal(err)
	}
	o.CloseAfterHours = DefaultCloseAfterHours
	closing, err := DecodeOffer(resignKey(t, emp, o.wire()))
	if err != nil {
		t.Fatal(err)
	}
	o.WeekZone = "Europe/Berlin" // key 21
	zoned, err := DecodeOffer(resignKey(t, emp, o.wire()))
	if err != nil {
		t.Fatal(err)
	}
	return []string{
		"offer " + hex.EncodeToString(offer.Signed()),
		"contract_id " + offer.ID().String(),
		"invite " + offer.Invite(),
		"acceptance " + hex.EncodeToString(resignKey(t, con, a.wire())),
		"end " + hex.EncodeToString(resignKey(t, con, e.wire())),
		"amendment " + hex.EncodeToString(resignKey(t, emp, oldAm)),
		"offer " + hex.EncodeToString(excl.Signed()),
		"amendment " + hex.EncodeToString(resignKey(t, emp, am.wire())),
		"pause " + hex.EncodeToString(resignKey(t, emp, pause)),
		"resume " + hex.EncodeToString(resignKey(t, con, resume)),
		"dispute " + hex.EncodeToString(resignKey(t, emp, dispute)),
		"answer " + hex.EncodeToString(resignKey(t, con, answer)),
		"offer " + hex.EncodeToString(closing.Signed()),
		"offer " + hex.EncodeToString(zoned.Signed()),
	}
}

func resignKey(t *testing.T, key ed25519.PrivateKey, w any) []byte {
	b, err := signRecord(key, w)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestGoldenRecords(t *testing.T) {
	path := filepath.Join("testdata", "records.golden")
	got := strings.Join(goldenRecords(t), "\n") + "\n"
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -run TestGoldenRecords -update once)", err)
	}
	if got != string(want) {
		t.Fatalf("signed record bytes changed; if intended, bump the record version and run -update\n%s", diffLines(got, string(want)))
	}
	for _, line := range strings.Split(strings.TrimSpace(got), "\n") {
		name, val, _ := strings.Cut(line, " ")
		if err := decodeGolden(name, val); err != nil {
			t.Errorf("golden %s does not decode: %v", name, err)
		}
	}
}

func decodeGolden(name, val string) error {
	if name == "invite" {
		_, err := DecodeInvite(val)
		return err
	}
	b, _ := hex.DecodeString(val)
	var err error
	switch name {
	case "offer":
		_, err = DecodeOffer(b)
	case "acceptance":
		_, err = DecodeAcceptance(b)
	case "end":
		_, err = DecodeEnd(b)
	case "amendment":
		_, err = DecodeAmendment(b)
	case "pause", "resume":
		_, err = DecodeHold(b)
	case "dispute":
		_, err = DecodeDispute(b)
	case "answer":
		_, err = DecodeAnswer(b)
	}
	return err
}

func diffLines(got, want string) string {
	g, w := strings.Split(got, "\n"), strings.Split(want, "\n")
	var out strings.Builder
	for i := 0; i < len(g) || i < len(w); i++ {
		var gl, wl string
		if i < len(g) {
			gl = g[i]
		}
		if i < len(w) {
			wl = w[i]
		}
		if gl != wl {
			fmt.Fprintf(&out, "line %d\n got %.120s\nwant %.120s\n", i+1, gl, wl)
		}
	}
	return out.String()
}

// TestOffersBeforeTheUnverifiedTerm: an offer signed before the term
// existed (no key 19) reads as "separate"; one that sets it keeps it.
func TestOffersBeforeTheUnverifiedTerm(t *testing.T) {
	lines := goldenRecords(t)
	for _, c := range []struct {
		line int
		want UnverifiedPolicy
	}{{0, UnverifiedSeparate}, {6, UnverifiedExclude}} {
		b, _ := hex.DecodeString(strings.TrimPrefix(lines[c.line], "offer "))
		o, err := DecodeOffer(b)
		if err != nil {
			t.Fatal(err)
		}
		if o.Unverified != c.want {
			t.Errorf("golden line %d: unverified %v, want %v", c.line+1, o.Unverified, c.want)
		}
	}
}
