package timesheet

import (
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

// FuzzVerifyBundle feeds arbitrary bytes to the bundle reader: it must
// never panic, and nothing but the real bundle may verify.
func FuzzVerifyBundle(f *testing.F) {
	w := goldenWorld(f)
	_, zipBytes := w.pack("2026-W48", w.emp)
	f.Add(zipBytes)
	f.Add([]byte("PK\x03\x04"))
	f.Add([]byte{})
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := VerifyBundleBytes(b); err == nil && string(b) != string(zipBytes) {
			t.Fatal("a changed bundle verified")
		}
	})
}

// FuzzVerifySSHSig checks the signature parser never panics.
func FuzzVerifySSHSig(f *testing.F) {
	key := seedKey(0x21)
	sig, _ := SignSSH([]byte("data"), key)
	f.Add(sig, "p namespaces=\"workdiary-timesheet\" ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOfxYqEL7FWa/qGV5NzoS2lWjV0ssJY+tEbAaF4rF/Lw")
	f.Fuzz(func(t *testing.T, sig []byte, line string) {
		VerifySSHSig([]byte("data"), sig, line)
	})
}

// FuzzVerifyClosedBundle mutates a closed week's bundle (its close note,
// proofs and the week's entries): nothing but the honest bytes verifies.
func FuzzVerifyClosedBundle(f *testing.F) {
	w := goldenWorld(f) // fixed offer: every fuzz worker builds the same bundle
	_, zipBytes := w.packClosed("2026-W48", w.closeWeek("2026-W48"), w.emp)
	f.Add(zipBytes)
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := VerifyBundleBytes(b); err == nil && string(b) != string(zipBytes) {
			t.Fatal("a changed closed bundle verified")
		}
	})
}

// FuzzVerifyReviewedBundle mutates a closed week's bundle that carries a
// dispute and its answer bound after the close (the later checkpoint, the
// consistency proof, the records and their proofs): nothing but the
// honest bytes verifies.
func FuzzVerifyReviewedBundle(f *testing.F) {
	w := goldenWorld(f)
	closeNote := w.closeWeek("2026-W48")
	from, _ := w.offer.ReviewWindow(monday)
	d, err := contract.NewDispute(w.offer, w.emp, []time.Time{at(0, 9, 0)}, "Not this project", from.Add(time.Hour))
	if err != nil {
		f.Fatal(err)
	}
	w.bind(d.Signed(), from.Add(time.Hour))
	a, err := contract.NewAnswer(d, w.con, "It was the release", from.Add(2*time.Hour))
	if err != nil {
		f.Fatal(err)
	}
	w.bind(a.Signed(), from.Add(2*time.Hour))
	_, zipBytes := w.packReviewed("2026-W48", closeNote, w.emp)
	f.Add(zipBytes)
	f.Fuzz(func(t *testing.T, b []byte) {
		if _, err := VerifyBundleBytes(b); err == nil && string(b) != string(zipBytes) {
			t.Fatal("a changed reviewed bundle verified")
		}
	})
}
