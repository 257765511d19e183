package timesheet

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/timesheet")

const goldenDir = "../../testdata/timesheet"

// goldenWorld is a fixed contract and week: fixed keys, a signed offer and
// acceptance kept in testdata (an offer carries a random nonce, so it is
// made once, with -update, and then read back), and entries signed from
// fixed times. Ed25519 is deterministic, so everything else is too.
func goldenWorld(t testing.TB) *world {
	emp, con := seedIdentity(t, 0x21, "Acme Ltd"), seedIdentity(t, 0x01, "Dana Contractor")
	offerPath, accPath := filepath.Join(goldenDir, "offer.cose"), filepath.Join(goldenDir, "acceptance.cose")
	if _, err := os.Stat(offerPath); os.IsNotExist(err) && *update {
		terms := testTerms()
		terms.WeeklyLimitHours = 1
		offer, err := contract.NewOffer(terms, emp, nil, offeredAt)
		if err != nil {
			t.Fatal(err)
		}
		acc, err := contract.Accept(offer, con, nil, acceptedAt)
		if err != nil {
			t.Fatal(err)
		}
		writeGolden(t, offerPath, offer.Signed())
		writeGolden(t, accPath, acc.Signed())
	}
	offerBytes, err1 := os.ReadFile(offerPath)
	accBytes, err2 := os.ReadFile(accPath)
	if err := firstErr(err1, err2); err != nil {
		t.Fatalf("%v (run go test ./internal/timesheet -run Golden -update once)", err)
	}
	w := worldFrom(t, emp, con, offerBytes, accBytes)
	w.auto(at(-1, 23, 50), 10, "last week: not counted")
	w.autoRun(at(0, 9, 0), 4, "Checkpoint cosigning")
	w.auto(at(0, 9, 40), 7, `Review "ledger" PR, part 1`)
	w.manual(at(1, 14, 0), "Call with Acme, about the roadmap")
	s := w.auto(at(1, 15, 0), 10, "=SUM(A1:A9) memo that looks like a formula")
	w.void(s, "tracked against the wrong contract")
	w.autoRun(at(2, 10, 0), 2, "Timesheet export\nsecond line")
	w.auto(at(7, 9, 0), 10, "next week: not counted")
	return w
}

func TestGoldenTimesheetAndCSV(t *testing.T) {
	w := goldenWorld(t)
	files, err := Export(t.TempDir(), w.build("2026-W48"), w.emp.PrivateKey(), BundleParts{Checkpoint: w.checkpoint()})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := VerifyBundle(files.Zip)
	if err != nil {
		t.Fatal(err)
	}
	doc, _ := sum.Timesheet.Encode()
	csvBytes, err := os.ReadFile(files.CSV)
	if err != nil {
		t.Fatal(err)
	}
	checkGolden(t, "timesheet.json", doc)
	checkGolden(t, "timesheet.csv", csvBytes)
}

func TestExportIsDeterministic(t *testing.T) {
	w := goldenWorld(t)
	var zips, pdfs [2][]byte
	for i := range 2 {
		f, err := Export(t.TempDir(), w.build("2026-W48"), w.emp.PrivateKey(), BundleParts{Checkpoint: w.checkpoint(), Name: "x"})
		if err != nil {
			t.Fatal(err)
		}
		zips[i], _ = os.ReadFile(f.Zip)
		pdfs[i], _ = os.ReadFile(f.PDF)
		time.Sleep(1100 * time.Millisecond) // a timestamp leaking in would show
	}
	if !bytes.Equal(zips[0], zips[1]) {
		t.Error("two exports of the same inputs give different zips")
	}
	if !bytes.Equal(pdfs[0], pdfs[1]) {
		t.Error("two exports of the same inputs give different PDFs")
	}
}

func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join(goldenDir, name)
	if *update {
		writeGolden(t, path, got)
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./internal/timesheet -run Golden -update)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s changed; if intended, run with -update and review the diff\n got:\n%s\nwant:\n%s", name, got, want)
	}
}

func writeGolden(t testing.TB, path string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
}
