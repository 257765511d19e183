package node_test

import (
	"archive/zip"
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock/clocktest"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/syncp2p"
)

// The offline transport: the contractor exports its log to a file, the
// employer imports it with the same checks as an online sync; a changed
// byte is refused and nothing is stored.
func TestLogFileExportImport(t *testing.T) {
	emp, con, cid := offlinePair(t)
	for i := 0; i < 3; i++ {
		addSegment(t, con, cid, monday.Add(time.Duration(i)*diary.SegmentLength), uint8(50*i))
	}
	if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "log.zip")
	out, err := con.ExportLogFile(node.LogFileParams{Contract: cid, File: file})
	if err != nil || out.Entries != 3 {
		t.Fatalf("export: %+v %v", out, err)
	}

	bad := filepath.Join(t.TempDir(), "bad.zip")
	tamper(t, file, bad, "entries/00000002.cose")
	if _, err := emp.ImportLogFile(node.LogFileParams{File: bad}); !errors.Is(err, syncp2p.ErrRejected) {
		t.Fatalf("import of a changed entry: %v, want ErrRejected", err)
	}
	if st, _ := emp.LogStatus(cid); st.Seq != 0 {
		t.Fatalf("a refused import stored %d entries", st.Seq)
	}

	in, err := emp.ImportLogFile(node.LogFileParams{File: file})
	if err != nil || in.Entries != 3 || in.Receipt == "" {
		t.Fatalf("import: %+v %v", in, err)
	}
	est, _ := emp.LogStatus(cid)
	cst, _ := con.LogStatus(cid)
	if est.Seq != 3 || est.Head != cst.Head {
		t.Fatalf("employer %+v, contractor %+v: want the same head", est, cst)
	}
	if again, err := emp.ImportLogFile(node.LogFileParams{File: file}); err != nil || again.Entries != 3 {
		t.Fatalf("importing the same file twice: %+v %v; want a harmless repeat", again, err)
	}
	// A file of the first version, before the format member, still imports.
	old := filepath.Join(t.TempDir(), "v1.zip")
	tamper(t, file, old, syncp2p.FormatMember, true)
	if again, err := emp.ImportLogFile(node.LogFileParams{File: old}); err != nil || again.Entries != 3 || again.Kind != "log" {
		t.Fatalf("a log file without its format member: %+v %v; want it read as a log file of version 1", again, err)
	}
}

// offlinePair is an employer and a contractor who accepted its offer
// offline, and their contract.
func offlinePair(t *testing.T) (emp, con *node.Node, cid string) {
	t.Helper()
	clk := clocktest.New(monday.Add(3 * time.Hour))
	emp = openNode(t, clk, "Erin")
	offer, err := emp.OfferContract(node.OfferParams{Title: "Offline", Rate: "10", Currency: "EUR", Screenshots: 1, Webcam: true})
	if err != nil {
		t.Fatal(err)
	}
	con = openNode(t, clk, "Ada")
	acc, err := con.AcceptContract(t.Context(), node.AcceptParams{Code: offer.Invite, Offline: true})
	if err != nil {
		t.Fatal(err)
	}
	return emp, con, acc.Contract.ID
}

// tamper copies a zip, flipping a byte in the middle of one member (or,
// with drop, leaving it out).
func tamper(t *testing.T, from, to, member string, drop ...bool) {
	t.Helper()
	r, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, _ := os.Create(to)
	defer f.Close()
	w := zip.NewWriter(f)
	for _, m := range r.File {
		rc, _ := m.Open()
		b, _ := io.ReadAll(rc)
		rc.Close()
		if m.Name == member && len(drop) > 0 {
			continue
		}
		if m.Name == member {
			b[len(b)/2] ^= 1
		}
		ww, _ := w.CreateHeader(&zip.FileHeader{Name: m.Name, Method: zip.Store})
		ww.Write(b)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}
