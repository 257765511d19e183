package node_test

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"testing"

	"github.com/workdiary/workdiary/internal/archive"
	"github.com/workdiary/workdiary/internal/diary"
	"github.com/workdiary/workdiary/internal/node"
)

// Log files crafted to cost the importing node memory or disk are refused
// by the limit they break, before their members are read, and store
// nothing; the honest file of the same log then imports.
func TestLogFileLimits(t *testing.T) {
	emp, con, cid := offlinePair(t)
	addSegment(t, con, cid, monday, 10)
	if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "log.zip")
	if _, err := con.ExportLogFile(node.LogFileParams{Contract: cid, File: file}); err != nil {
		t.Fatal(err)
	}
	bomb := zeroBomb(t, 16<<20)
	cases := []struct {
		name string
		add  func(w *zip.Writer) error
		want error
	}{
		{"an entry twice", func(w *zip.Writer) error { return addStored(w, "entries/00000001.cose", []byte("again")) }, archive.ErrDuplicate},
		{"an entry over 64 KiB", func(w *zip.Writer) error {
			return addStored(w, "entries/00000002.cose", make([]byte, 64<<10+1))
		}, archive.ErrMemberSize},
		{"an image that unpacks past 16 MiB", func(w *zip.Writer) error {
			return bomb.add(w, "images/"+fmt.Sprintf("%064x", 1), 1)
		}, archive.ErrMemberSize},
		{"a zip bomb: 1025 images of 16 MiB of zeros", func(w *zip.Writer) error {
			for i := range 1025 {
				if err := bomb.add(w, fmt.Sprintf("images/%064x", i+1), 0); err != nil {
					return err
				}
			}
			return nil
		}, archive.ErrTooBig},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.zip")
			rewrite(t, file, bad, c.add)
			if fi, _ := os.Stat(bad); fi.Size() > 64<<20 {
				t.Fatalf("the crafted file is %d bytes: not small", fi.Size())
			}
			_, err := emp.ImportLogFile(node.LogFileParams{File: bad})
			if !errors.Is(err, c.want) {
				t.Fatalf("import: %v; want %v", err, c.want)
			}
			t.Log(err)
			if st, _ := emp.LogStatus(cid); st.Seq != 0 {
				t.Fatalf("a refused import stored %d entries", st.Seq)
			}
		})
	}
	if in, err := emp.ImportLogFile(node.LogFileParams{File: file}); err != nil || in.Entries != 1 {
		t.Fatalf("the honest file: %+v %v", in, err)
	}
}

// rewrite copies a zip's members and then adds what add writes.
func rewrite(t *testing.T, from, to string, add func(w *zip.Writer) error) {
	t.Helper()
	r, err := zip.OpenReader(from)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	f, err := os.Create(to)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	w := zip.NewWriter(f)
	for _, m := range r.File {
		if err := w.Copy(m); err != nil {
			t.Fatal(err)
		}
	}
	if err := add(w); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
}

func addStored(w *zip.Writer, name string, b []byte) error {
	ww, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store})
	if err == nil {
		_, err = ww.Write(b)
	}
	return err
}

// bomb is n zeros, deflated once, to write as many members as wanted.
type bomb struct {
	n          uint64
	crc        uint32
	compressed []byte
}

func zeroBomb(t *testing.T, n int) bomb {
	t.Helper()
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	zeros := make([]byte, n)
	if _, err := io.Copy(fw, bytes.NewReader(zeros)); err != nil {
		t.Fatal(err)
	}
	fw.Close()
	return bomb{n: uint64(n), crc: crc32.ChecksumIEEE(zeros), compressed: buf.Bytes()}
}

// add writes the bomb as a member whose directory says extra bytes more.
func (b bomb) add(w *zip.Writer, name string, extra uint64) error {
	ww, err := w.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: b.crc,
		CompressedSize64: uint64(len(b.compressed)), UncompressedSize64: b.n + extra})
	if err == nil {
		_, err = ww.Write(b.compressed)
	}
	return err
}

// Two entries that commit to the same image (byte-identical screenshots)
// export it once, so the file has no name twice and imports.
func TestLogFileSharedImage(t *testing.T) {
	emp, con, cid := offlinePair(t)
	addSegment(t, con, cid, monday, 10)
	addSegment(t, con, cid, monday.Add(diary.SegmentLength), 10)
	if _, err := con.Approve(node.ApproveParams{Contract: cid, All: true}); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "log.zip")
	out, err := con.ExportLogFile(node.LogFileParams{Contract: cid, File: file})
	if err != nil || out.Entries != 2 {
		t.Fatalf("export: %+v %v", out, err)
	}
	if in, err := emp.ImportLogFile(node.LogFileParams{File: file}); err != nil || in.Entries != 2 {
		t.Fatalf("import: %+v %v", in, err)
	}
}
