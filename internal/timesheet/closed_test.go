package timesheet

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
)

// closeWeek signs the close of week over the whole log as the contractor
// and cosigns it as the employer, as their nodes do after the deadline.
func (w *world) closeWeek(week string) []byte {
	w.t.Helper()
	wk, err := ParseWeek(week, w.offer.Weeks())
	if err != nil {
		w.t.Fatal(err)
	}
	log, err := ledger.VerifyChain(w.offer.ID(), w.acc.Contractor.PublicKey, ledger.Head{}, nil, w.entries...)
	if err != nil {
		w.t.Fatal(err)
	}
	c := ledger.NewWeekClose(w.log.ID(), log, wk.Start.Unix(), wk.End.Unix(), w.acc.Signed())
	note, err := ledger.SignWeekClose(w.con.PrivateKey(), w.con.PeerID().String(), c)
	if err != nil {
		w.t.Fatal(err)
	}
	if note, err = ledger.Cosign(note, w.emp.PrivateKey(), w.emp.PeerID().String()); err != nil {
		w.t.Fatal(err)
	}
	return note
}

// closedWorld has time in the weeks before, of and after 2026-W48, with a
// void inside the week, and W48 closed before the week after was synced.
func closedWorld(t *testing.T) (*world, []byte) {
	w := newWorld(t, testTerms())
	w.autoRun(at(-2, 10, 0), 2, "the week before") // W47
	w.autoRun(at(0, 9, 0), 3, "Monday")
	gone := w.auto(at(1, 14, 0), 10, "logged twice")
	w.manual(at(2, 11, 0), "call")
	w.void(gone, "logged twice")
	closeNote := w.closeWeek("2026-W48")
	w.autoRun(at(7, 9, 0), 2, "the week after") // W49, after the close
	return w, closeNote
}

func (w *world) packClosed(week string, closeNote []byte, signer *identity.Identity) (Timesheet, []byte) {
	w.t.Helper()
	wc, err := ledger.PeekWeekClose(closeNote)
	if err != nil {
		w.t.Fatal(err)
	}
	in := w.input(week)
	in.Entries, in.Close = w.entries[:wc.Size], closeNote
	return w.packInput(in, signer)
}

func (w *world) packInput(in Input, signer *identity.Identity) (Timesheet, []byte) {
	w.t.Helper()
	ts, err := Build(in)
	if err != nil {
		w.t.Fatalf("Build: %v", err)
	}
	ts, zipBytes, err := Pack(ts, signer.PrivateKey(), nil)
	if err != nil {
		w.t.Fatalf("Pack: %v", err)
	}
	return ts, zipBytes
}

// A closed week's bundle carries that week's entries and proofs only,
// verifies, and says the week is closed; its totals are those of the
// whole log's timesheet of the same week.
func TestClosedWeekBundle(t *testing.T) {
	w, closeNote := closedWorld(t)
	ts, zipBytes := w.packClosed("2026-W48", closeNote, w.emp)
	sum, err := VerifyBundleBytes(zipBytes)
	if err != nil {
		t.Fatalf("the honest closed week: %v", err)
	}
	if sum.Close == nil || !ts.WeekClosed || sum.Close.Size != 8 || sum.Close.Count != 6 {
		t.Errorf("summary %+v, timesheet week_closed %v; want closed at size 8 with 6 entries of the week", sum.Close, ts.WeekClosed)
	}
	files, err := readZip(zipBytes)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, f := range files {
		names = append(names, f.name)
		if strings.Contains(string(f.data), "the week before") || strings.Contains(string(f.data), "the week after") {
			t.Errorf("%s carries another week's memo", f.name)
		}
	}
	want := "entries/000003.cose entries/000003.proof"
	if got := strings.Join(names, " "); !strings.Contains(got, want) || strings.Contains(got, "000001") || strings.Contains(got, "000009") || strings.Contains(got, fileCheckpoint) {
		t.Errorf("members %s: want the week's entries 3..8 with proofs, no checkpoint", got)
	}
	whole := w.build("2026-W48")
	if whole.Totals != ts.Totals || !slices.Equal(whole.Entries, ts.Entries) {
		t.Errorf("closed totals %+v %v, the whole log gives %+v %v", ts.Totals, ts.Entries, whole.Totals, whole.Entries)
	}
	for _, line := range []string{"week closed by both parties at log size 8", "contract from 2026-11-19T08:00:00Z",
		"terms in force: 35.00 USD/h, weekly limit 40 h", "a week closes 24 h after its end"} {
		if !strings.Contains(sum.String(), line) {
			t.Errorf("summary does not say %q:\n%s", line, sum)
		}
	}
}

// A timesheet exported twice for a closed week is byte for byte the same,
// even after the log grew: the close pins it.
func TestClosedWeekExportTwice(t *testing.T) {
	w, closeNote := closedWorld(t)
	var zips, sigs [][]byte
	for range 2 {
		_, zipBytes := w.packClosed("2026-W48", closeNote, w.emp)
		dir := t.TempDir()
		in := w.input("2026-W48")
		in.Entries, in.Close = w.entries[:8], closeNote
		ts, err := Build(in)
		if err != nil {
			t.Fatal(err)
		}
		f, err := Export(dir, ts, w.emp.PrivateKey(), BundleParts{})
		if err != nil {
			t.Fatal(err)
		}
		onDisk, _ := os.ReadFile(f.Zip)
		sig, _ := os.ReadFile(filepath.Join(dir, filepath.Base(f.Sig)))
		if !bytes.Equal(onDisk, zipBytes) {
			t.Errorf("Export and Pack wrote different bundles")
		}
		zips, sigs = append(zips, onDisk), append(sigs, sig)
		w.autoRun(at(8, 9, 0).AddDate(0, 0, len(zips)), 1, "later still") // the log grows between exports
	}
	if !bytes.Equal(zips[0], zips[1]) || !bytes.Equal(sigs[0], sigs[1]) {
		t.Errorf("the closed week's bundle changed between two exports")
	}
}

// Dishonest bundles of a closed week, each made with the parties' real
// keys, are refused with a specific reason; the honest one verifies.
func TestClosedWeekTampering(t *testing.T) {
	w, closeNote := closedWorld(t)
	_, honest := w.packClosed("2026-W48", closeNote, w.emp)
	files, err := readZip(honest)
	if err != nil {
		t.Fatal(err)
	}
	b, err := parseBundle(files)
	if err != nil {
		t.Fatal(err)
	}
	log, _ := ledger.VerifyChain(w.offer.ID(), w.acc.Contractor.PublicKey, ledger.Head{}, nil, w.entries[:8]...)
	before, _ := ledger.WeekProofs(log, 8, log[:1]) // seq 1, of the week before, proven in the closed log
	earlier, err := contract.Accept(w.offer, w.con, nil, acceptedAt.AddDate(0, 0, -1))
	if err != nil {
		t.Fatal(err)
	}
	w49 := w.closeWeek("2026-W49")
	w49b := w.mustUnzip(w.packClosedAt("2026-W49", w49))
	onlyContractor := closeNote[:bytes.LastIndex(bytes.TrimSuffix(closeNote, []byte("\n")), []byte("\n"))+1]
	cases := []struct {
		name   string
		change func(b *bundle)
		want   error
		says   string
	}{
		{"dropped entry", func(b *bundle) { b.entries, b.seqs, b.proofs = b.entries[1:], b.seqs[1:], b.proofs[1:] }, ErrNotTheWeek, "the close counts 6 entries"},
		{"extra entry of the week before", func(b *bundle) {
			b.entries = append([][]byte{w.entries[0]}, b.entries...)
			b.seqs = append([]uint64{1}, b.seqs...)
			b.proofs = append([][]byte{proofBytes(before[0])}, b.proofs...)
		}, ErrNotTheWeek, "is not in the week"},
		{"an entry after the close", func(b *bundle) {
			b.entries, b.seqs, b.proofs = append(b.entries, w.entries[8]), append(b.seqs, 9), append(b.proofs, b.proofs[0])
		}, ErrNotTheWeek, "after the close at size 8"},
		{"another week's close and proofs", func(b *bundle) {
			b.close, b.entries, b.seqs, b.proofs = w49b.close, w49b.entries, w49b.seqs, w49b.proofs
		}, ErrNotTheWeek, "it closes the week of 2026-11-30"},
		{"proofs swapped", func(b *bundle) { b.proofs[0], b.proofs[1] = b.proofs[1], b.proofs[0] }, ErrNotTheWeek, "does not lead to root"},
		{"acceptance signed again, a day earlier", func(b *bundle) { b.acceptance = earlier.Signed() }, ErrNotTheAcceptance, "both parties closed the week with acceptance"},
		{"close signed by the contractor alone", func(b *bundle) { b.close = onlyContractor }, ErrNotCosigned, "1 of the 2 signatures"},
		{"employer renamed in a re-signed timesheet", func(b *bundle) {
			ts, _ := Decode(b.doc)
			ts.Employer.Name = "Someone Else Ltd"
			_, b.doc, b.sig, _ = Sign(ts, w.emp.PrivateKey())
		}, ErrTotalsMismatch, `employer is {"name":"Someone Else Ltd"`},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			crafted := b
			crafted.entries, crafted.seqs, crafted.proofs = append([][]byte{}, b.entries...), append([]uint64{}, b.seqs...), append([][]byte{}, b.proofs...)
			c.change(&crafted)
			zipBytes, err := writeZip(crafted.files())
			if err != nil {
				t.Fatal(err)
			}
			_, err = VerifyBundleBytes(zipBytes)
			if !errors.Is(err, c.want) || !strings.Contains(err.Error(), c.says) {
				t.Errorf("got %v, want %v saying %q", err, c.want, c.says)
			}
		})
	}
	if _, err := VerifyBundleBytes(honest); err != nil {
		t.Errorf("the honest bundle: %v", err)
	}
}

func (w *world) packClosedAt(week string, closeNote []byte) []byte {
	_, z := w.packClosed(week, closeNote, w.emp)
	return z
}

func (w *world) mustUnzip(z []byte) bundle {
	files, err := readZip(z)
	if err != nil {
		w.t.Fatal(err)
	}
	b, err := parseBundle(files)
	if err != nil {
		w.t.Fatal(err)
	}
	return b
}

// Time that makes up for a closed week counts in its own week, and the
// timesheet names it with the week it corrects.
func TestCorrectionsListed(t *testing.T) {
	w, _ := closedWorld(t)
	fix := ledger.Entry{Start: at(8, 11, 0).Unix(), Kind: ledger.KindAuto, Memo: "the migration left over from last week",
		ApprovedAt: at(8, 12, 0).Unix(), Corrects: monday.Unix()}
	for i := range uint8(10) {
		fix.Minutes = append(fix.Minutes, ledger.Minute{Index: i, Keys: 10, Moved: true})
	}
	w.append(fix)
	ts, zipBytes := w.pack("2026-W49", w.emp)
	want := []Correction{{Seq: 11, Start: "2026-12-01T11:00:00Z", Corrects: "2026-W48", Minutes: 10}}
	if !slices.Equal(ts.Corrections, want) {
		t.Fatalf("corrections %+v, want %+v", ts.Corrections, want)
	}
	sum, err := VerifyBundleBytes(zipBytes)
	if err != nil || !strings.Contains(sum.String(), "correction of closed week 2026-W48: seq 11 at 2026-12-01T11:00:00Z, 0:10") {
		t.Fatalf("verify: %v\n%s", err, sum)
	}
	if w48 := w.build("2026-W48"); len(w48.Corrections) != 0 {
		t.Errorf("the corrected week lists corrections: %+v", w48.Corrections)
	}
}

// BenchmarkYearWeek (P11's week timesheet): one contractor's working year,
// ten segments every weekday for 52 weeks (2,600 entries), and the
// timesheet of one week built, packed and verified from the whole log (a
// week not closed) and from the week's close (only its 50 entries, with
// proofs). Reports each in ms and the bundles' sizes.
func BenchmarkYearWeek(b *testing.B) {
	w := newWorld(b, testTerms())
	start := time.Date(2025, 12, 1, 0, 0, 0, 0, time.UTC)
	for d := range 52 * 7 {
		day := start.AddDate(0, 0, d)
		if day.Weekday() == time.Saturday || day.Weekday() == time.Sunday {
			continue
		}
		for i := range 10 {
			w.auto(day.Add(9*time.Hour+time.Duration(i)*10*time.Minute), 10, "a working year")
		}
	}
	const week = "2026-W48"
	closeNote, checkpoint := w.closeWeek(week), w.checkpoint()
	for _, c := range []struct {
		name  string
		close []byte
	}{{"whole-log", nil}, {"closed", closeNote}} {
		in := w.input(week)
		in.Close = c.close
		if c.close == nil {
			in.Checkpoint = checkpoint // as the node exports an open week
		}
		export := func() []byte {
			ts, err := Build(in)
			if err != nil {
				b.Fatal(err)
			}
			_, zipBytes, err := Pack(ts, w.emp.PrivateKey(), checkpoint) // Pack verifies the zip once
			if err != nil {
				b.Fatal(err)
			}
			return zipBytes
		}
		zipBytes := export()
		b.Run(c.name+"/export", func(b *testing.B) {
			for b.Loop() {
				export()
			}
			b.ReportMetric(float64(len(zipBytes))/1024, "bundle-KiB")
		})
		b.Run(c.name+"/verify", func(b *testing.B) {
			for b.Loop() {
				if _, err := VerifyBundleBytes(zipBytes); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// A closed week's bundle carries the contract records bound up to the
// close (here an end of contract bound in the week before), proven like
// the week's entries, so the terms in force follow as from the whole log.
func TestClosedWeekCarriesRecords(t *testing.T) {
	w := newWorld(t, testTerms())
	w.autoRun(at(-3, 10, 0), 2, "the week before")
	w.autoRun(at(0, 9, 0), 3, "Monday")
	w.autoRun(at(2, 9, 0), 3, "Wednesday")
	w.endAt(at(2, 9, 10)) // bound an hour later, in the week
	closeNote := w.closeWeek("2026-W48")
	ts, zipBytes := w.packClosed("2026-W48", closeNote, w.emp)
	whole := w.build("2026-W48")
	if ts.Totals != whole.Totals || ts.ContractEnd == "" || ts.ContractEnd != whole.ContractEnd {
		t.Fatalf("closed: %+v end %q; whole log: %+v end %q", ts.Totals, ts.ContractEnd, whole.Totals, whole.ContractEnd)
	}
	sum, err := VerifyBundleBytes(zipBytes)
	if err != nil || !strings.Contains(sum.String(), "an end bound into the log") {
		t.Fatalf("verify: %v\n%s", err, sum)
	}
	b := w.mustUnzip(zipBytes)
	dropped := b
	dropped.entries, dropped.seqs, dropped.proofs = b.entries[:len(b.entries)-1], b.seqs[:len(b.seqs)-1], b.proofs[:len(b.proofs)-1]
	z, _ := writeZip(dropped.files())
	if _, err := VerifyBundleBytes(z); !errors.Is(err, ErrNotTheWeek) {
		t.Fatalf("the end's record left out: %v, want ErrNotTheWeek", err)
	}
}
