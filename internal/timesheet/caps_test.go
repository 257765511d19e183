package timesheet

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"testing"

	"github.com/workdiary/workdiary/internal/archive"
	"github.com/workdiary/workdiary/internal/ledger"
)

// Bundles crafted to cost verify memory are refused by the limit they
// break, with its own error, before their members are read; the honest
// bundle of the same week verifies.
func TestBundleLimits(t *testing.T) {
	w := goldenWorld(t)
	_, zipBytes := w.pack("2026-W48", w.emp)
	files, err := readZip(zipBytes)
	if err != nil {
		t.Fatal(err)
	}
	many := append([]file(nil), files...)
	for i := len(files); i <= MaxBundleMembers; i++ {
		many = append(many, file{fmt.Sprintf("x/%d", i), nil})
	}
	bigEntry := append([]file(nil), files...)
	bigEntry[len(bigEntry)-1].data = make([]byte, ledger.MaxEntrySize+1)
	cases := []struct {
		name string
		zip  []byte
		want error
	}{
		{"a member more than the limit", must(writeZip(many)), archive.ErrTooMany},
		{"README.txt twice", must(writeZip(append(files, files[0]))), archive.ErrDuplicate},
		{"an entry over 64 KiB", must(writeZip(bigEntry)), archive.ErrMemberSize},
		{"members compressed (a zip bomb's way)", deflated(t, files), archive.ErrCompressed},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := VerifyBundleBytes(c.zip)
			if !errors.Is(err, c.want) || !errors.Is(err, ErrTampered) {
				t.Fatalf("verify: %v; want ErrTampered and %v", err, c.want)
			}
			t.Log(err)
		})
	}
	if _, err := VerifyBundleBytes(zipBytes); err != nil {
		t.Fatalf("the honest bundle: %v", err)
	}
}

// deflated is the bundle's members, compressed.
func deflated(t *testing.T, files []file) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, f := range files {
		w, err := zw.CreateHeader(&zip.FileHeader{Name: f.name, Method: zip.Deflate})
		if err == nil {
			_, err = w.Write(f.data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}
