//go:build e2e && linux

package e2e

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/clock"
	"github.com/workdiary/workdiary/internal/contract"
	"github.com/workdiary/workdiary/internal/identity"
	"github.com/workdiary/workdiary/internal/ledger"
	"github.com/workdiary/workdiary/internal/node"
	"github.com/workdiary/workdiary/internal/store"
	"github.com/workdiary/workdiary/internal/timesheet"
)

// A dishonest party builds, with its own real key, bundles and log files
// that are well signed and made to cost the other side or to slip in what
// is not a screenshot: zip bombs, too many members, a name twice, an
// oversized member, an image whose bytes are not an image, 32 screenshots
// in one segment. `workdiary verify` and `sync --import` refuse each with
// the limit or the check it breaks, store nothing of it, and the honest
// bundle and log file of the same week still verify and import.
func TestDishonestParty(t *testing.T) {
	w := honestWeek(t, "Dishonest")
	t.Run("bundles", func(t *testing.T) { dishonestBundles(t, w.con, w.bundle) })
	t.Run("log files", func(t *testing.T) { dishonestLogFiles(t, w.emp, w.con, w.id, w.log) })
}

// week is an honest contract week: two manual segments approved three
// hours ago, the log file that carried them to the employer, and the
// week's bundle the employer signed.
type week struct {
	emp, con, id string
	log, bundle  string
}

func honestWeek(t *testing.T, title string) week {
	t.Helper()
	emp, con := employerAndContractor(t)
	id := offerAndAccept(t, cliIn(t, emp), cliIn(t, con), offer{title: title, rate: "30", currency: "USD",
		screenshots: 1, terms: []string{"--manual-time"}})
	addManualTime(t, con, id, 3*time.Hour, 2)
	cli(t, con, "approve", "--contract", id, "--all")
	honest := filepath.Join(t.TempDir(), "log.zip")
	cli(t, con, "sync", "--export", honest, "--contract", id)
	mustMention(t, "the honest import", cli(t, emp, "sync", "--import", honest), "2 entries verified")
	year, wk := time.Now().UTC().Add(-3 * time.Hour).ISOWeek()
	dir := t.TempDir()
	cli(t, emp, "timesheet", "--contract", id, "--week", fmt.Sprintf("%04d-W%02d", year, wk), "--out", dir)
	zips, _ := filepath.Glob(filepath.Join(dir, "*.zip"))
	if len(zips) != 1 {
		t.Fatalf("timesheet wrote %v, want one bundle", zips)
	}
	return week{emp: emp, con: con, id: id, log: honest, bundle: zips[0]}
}

// dishonestBundles rewrites the honest bundle's members: each crafted
// bundle is refused for its reason, and the honest one stays valid.
func dishonestBundles(t *testing.T, home, honest string) {
	members := readMembers(t, honest)
	many := append([]member(nil), members...)
	for i := len(members); i <= timesheet.MaxBundleMembers; i++ {
		many = append(many, member{name: fmt.Sprintf("x/%d", i)})
	}
	big := append([]member(nil), members...)
	big[len(big)-1].data = make([]byte, ledger.MaxEntrySize+1)
	bomb := append([]member(nil), members...)
	bomb = append(bomb, member{name: "zeros", data: make([]byte, 64<<20), method: zip.Deflate})
	cases := []struct {
		name, want string
		members    []member
	}{
		{"a member more than the limit", "too many files in the archive: 262145, at most 262144", many},
		{"README.txt twice", "a file name appears twice in the archive: README.txt", append(members, members[0])},
		{"an entry over 64 KiB", "is too big: " + big[len(big)-1].name + " unpacks to 65537 bytes, at most 65536", big},
		{"a zip bomb: 64 MiB of zeros deflated", "a file in the archive is compressed: zeros", bomb},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.zip")
			writeMembers(t, bad, c.members)
			out, err := tryCLI(t, home, "verify", bad)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("verify: %v %s; want it refused saying %q", err, out, c.want)
			}
			t.Logf("refused: %v", err)
		})
	}
	mustMention(t, "verify of the honest bundle", cli(t, home, "verify", honest), "valid")
}

// dishonestLogFiles extends the honest log file with entries signed by the
// contractor's real key, or rewrites its members: each import is refused
// for its reason and stores nothing, or, for an entry that breaks the
// terms, keeps it as refused without fetching a single image.
func dishonestLogFiles(t *testing.T, emp, con, id, honest string) {
	f := forgerOf(t, con, id, readMembers(t, honest))
	start := time.Now().UTC().Add(-2 * time.Hour).Truncate(10 * time.Minute)
	zeros := deflatedZeros(t, 16<<20)
	cases := []struct {
		name, want string
		members    func() []member
	}{
		{"a screenshot of random bytes", "is not a JPEG, PNG or WebP image", func() []member {
			return f.extended(t, start, randomShots(1))
		}},
		{"a zip bomb: 1025 images of 16 MiB of zeros", "the archive unpacks to too many bytes: more than 16 GiB", func() []member {
			m := append([]member(nil), f.honest...)
			for i := range 1025 {
				m = append(m, member{name: fmt.Sprintf("images/%064x", i+1), raw: zeros})
			}
			return m
		}},
		{"an entry twice", "a file name appears twice in the archive: entries/00000001.cose", func() []member {
			return append(append([]member(nil), f.honest...), member{name: "entries/00000001.cose", data: []byte("again")})
		}},
		{"an entry over 64 KiB", "entries/00000003.cose unpacks to 65537 bytes, at most 65536", func() []member {
			return append(append([]member(nil), f.honest...), member{name: "entries/00000003.cose", data: make([]byte, 64<<10+1)})
		}},
	}
	before := readLog(t, emp, id)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			bad := filepath.Join(t.TempDir(), "bad.zip")
			writeMembers(t, bad, c.members())
			if fi, _ := os.Stat(bad); fi.Size() > 64<<20 {
				t.Fatalf("the crafted file is %d bytes: not small", fi.Size())
			}
			out, err := tryCLI(t, emp, "sync", "--import", bad)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("import: %v %s; want it refused saying %q", err, out, c.want)
			}
			t.Logf("refused: %v", err)
			if after := readLog(t, emp, id); after.position() != before.position() {
				t.Fatalf("a refused import moved the employer's copy from %+v to %+v", before.position(), after.position())
			}
		})
	}
	// 32 screenshots of random bytes at one moment: signed and chained, so
	// the employer keeps the entry for the chain, refuses it for the
	// contract's terms and never fetches its images.
	shots := randomShots(32)
	bad := filepath.Join(t.TempDir(), "bad.zip")
	writeMembers(t, bad, f.extended(t, start, shots))
	cli(t, emp, "sync", "--import", bad)
	held := readRefusedLog(t, emp, id)
	if held.Seq != 3 || len(held.Refused) != 1 || !strings.Contains(held.Refused[0].Reason, "32 screenshots taken at one moment") {
		t.Fatalf("after 32 screenshots in one entry the employer holds seq %d, refusals %+v; want entry 3 refused", held.Seq, held.Refused)
	}
	n, err := node.Open(emp, "test", clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	for h := range shots {
		if n.Store().Blobs.Has(store.Hash(h)) {
			t.Fatalf("the employer stored image %x of the refused entry", h[:6])
		}
	}
}

// member is one file of a zip: its bytes, or raw deflated bytes.
type member struct {
	name   string
	data   []byte
	method uint16
	raw    *rawMember
}

type rawMember struct {
	size       uint64
	crc        uint32
	compressed []byte
}

func readMembers(t *testing.T, name string) []member {
	t.Helper()
	r, err := zip.OpenReader(name)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var out []member
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, member{name: f.Name, data: b})
	}
	return out
}

func writeMembers(t *testing.T, name string, members []member) {
	t.Helper()
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, m := range members {
		var w io.Writer
		data := m.data
		if m.raw != nil {
			w, err = zw.CreateRaw(&zip.FileHeader{Name: m.name, Method: zip.Deflate, CRC32: m.raw.crc,
				CompressedSize64: uint64(len(m.raw.compressed)), UncompressedSize64: m.raw.size})
			data = m.raw.compressed
		} else {
			w, err = zw.CreateHeader(&zip.FileHeader{Name: m.name, Method: m.method})
		}
		if err == nil {
			_, err = w.Write(data)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}

// deflatedZeros is n zeros, deflated once, to write as many members as
// wanted for the price of one.
func deflatedZeros(t *testing.T, n int) *rawMember {
	t.Helper()
	var buf bytes.Buffer
	fw, _ := flate.NewWriter(&buf, flate.BestCompression)
	zeros := make([]byte, n)
	if _, err := fw.Write(zeros); err != nil {
		t.Fatal(err)
	}
	fw.Close()
	return &rawMember{size: uint64(n), crc: crc32.ChecksumIEEE(zeros), compressed: buf.Bytes()}
}

// randomShots are n screenshots of 4 KiB of random bytes, by hash.
func randomShots(n int) map[[32]byte][]byte {
	out := map[[32]byte][]byte{}
	for range n {
		b := make([]byte, 4096)
		_, _ = rand.Read(b)
		out[sha256.Sum256(b)] = b
	}
	return out
}

// logForger signs entries after the honest log file's with the
// contractor's own key.
type logForger struct {
	key    *identity.Identity
	cid    [32]byte
	honest []member
}

func forgerOf(t *testing.T, home, contractID string, honest []member) logForger {
	t.Helper()
	me, c := partyIn(t, home, contractID)
	return logForger{key: me, cid: [32]byte(c.ID()), honest: honest}
}

// partyIn is home's identity and its contract, read with the folder's
// own node (nothing else may run on it).
func partyIn(t *testing.T, home, contractID string) (*identity.Identity, *contract.Contract) {
	t.Helper()
	n, err := node.Open(home, "test", clock.Real{})
	if err != nil {
		t.Fatal(err)
	}
	defer n.Close()
	me, err := n.Identity()
	if err != nil {
		t.Fatal(err)
	}
	c, err := n.Contracts().Resolve(contractID)
	if err != nil {
		t.Fatal(err)
	}
	return me, c
}

// extended is the honest log file with one more tracked segment at start
// whose screenshots, all at one moment, are shots, and a checkpoint the
// contractor signed over all of it.
func (f logForger) extended(t *testing.T, start time.Time, shots map[[32]byte][]byte) []member {
	t.Helper()
	e := ledger.Entry{Start: start.Unix(), Kind: ledger.KindAuto, ApprovedAt: start.Unix() + 600,
		Minutes: []ledger.Minute{{Index: 0, Keys: 12, Moved: true}}}
	var images []member
	for h, b := range shots {
		e.Images = append(e.Images, ledger.Image{Role: ledger.RoleScreenshot, SHA256: h, Size: uint64(len(b)),
			TakenAt: start.Unix() + 60, Width: 1920, Height: 1080})
		images = append(images, member{name: "images/" + hex.EncodeToString(h[:]), data: b})
	}
	return f.appended(t, e, images...)
}

// appended is the honest log file with e signed as its next entry, the
// members images, and a checkpoint the contractor signed over all of it.
func (f logForger) appended(t *testing.T, e ledger.Entry, images ...member) []member {
	t.Helper()
	var entries [][]byte
	var out []member
	for _, m := range f.honest {
		switch {
		case strings.HasPrefix(m.name, "entries/"):
			entries = append(entries, m.data)
			out = append(out, m)
		case m.name != "checkpoint.note":
			out = append(out, m)
		}
	}
	head := ledger.Head{Seq: uint64(len(entries)), Hash: sha256.Sum256(entries[len(entries)-1])}
	l, err := ledger.NewLog(f.key.PrivateKey(), f.cid, head, historyOf(t, entries))
	if err != nil {
		t.Fatal(err)
	}
	out = append(out, images...)
	s, err := l.Append(e)
	if err != nil {
		t.Fatal(err)
	}
	entries = append(entries, s.Bytes)
	out = append(out, member{name: fmt.Sprintf("entries/%08d.cose", s.Entry.Seq), data: s.Bytes})
	cp := ledger.CheckpointFor(ledger.LogIDOf(f.cid, f.key.PublicKey()), entries)
	note, err := ledger.SignCheckpoint(f.key.PrivateKey(), f.key.PeerID().String(), cp)
	if err != nil {
		t.Fatal(err)
	}
	return append(out, member{name: "checkpoint.note", data: note})
}

// history is a log's entries for the chain rules (no voids: the honest log
// has none).
type history map[uint64]ledger.Summary

func historyOf(t *testing.T, entries [][]byte) history {
	t.Helper()
	h := history{}
	for _, b := range entries {
		s, err := ledger.OpenEntry(b)
		if err != nil {
			t.Fatal(err)
		}
		h[s.Entry.Seq] = s.Summary()
	}
	return h
}

func (h history) Entry(seq uint64) (ledger.Summary, bool) { s, ok := h[seq]; return s, ok }

func (h history) LiveAt(start int64) (uint64, bool) {
	for _, s := range h {
		if s.Start == start && s.Kind != ledger.KindVoid {
			return s.Seq, true
		}
	}
	return 0, false
}
