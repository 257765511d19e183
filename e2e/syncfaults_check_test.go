//go:build e2e

package e2e

import (
	"archive/zip"
	"bytes"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/ledger"
)

// What the employer must hold after syncing under faults, compared with
// the contractor's own copy through the CLI and the files each side
// exports.

// checkSameLog compares the two copies of one contract's log: the same
// log, seq and head; a receipt both parties signed at that size on both
// sides; entries byte for byte (from each side's timesheet bundle, which
// carries the log as held); one entry per approved segment, in order, none
// twice; and each entry's images those of its segment. It returns the
// images the entries commit to.
func checkSameLog(t *testing.T, con, emp, id string) map[string]bool {
	t.Helper()
	mine, theirs := readLog(t, con, id), readLog(t, emp, id)
	if mine.LogID != theirs.LogID || mine.Seq != theirs.Seq || mine.Head != theirs.Head {
		t.Fatalf("contract %s: the contractor's log is %s at seq %d head %s, the employer's %s at seq %d head %s",
			id[:12], mine.LogID, mine.Seq, mine.Head, theirs.LogID, theirs.Seq, theirs.Head)
	}
	segs := map[uint64]segmentRecord{}
	for _, s := range mustReadDiary(t, con) {
		if s.Contract != id || s.State == "recorded" {
			continue
		}
		if s.State != "synced" {
			t.Errorf("segment %s is %s after a clean sync, want synced", s.ID, s.State)
		}
		if _, dup := segs[s.Entry]; dup {
			t.Fatalf("two segments are entry %d of contract %s", s.Entry, id[:12])
		}
		segs[s.Entry] = s
	}
	if uint64(len(segs)) != mine.Seq || mine.Seq == 0 {
		t.Fatalf("contract %s: %d approved segments, %d entries in the log", id[:12], len(segs), mine.Seq)
	}
	conPeer, empPeer := readID(t, con).PeerID, readID(t, emp).PeerID
	checkReceipt(t, "contractor", mine.Cosigned, mine.Seq, conPeer, empPeer)
	checkReceipt(t, "employer", theirs.Cosigned, theirs.Seq, conPeer, empPeer)

	conEntries, empEntries := bundleEntries(t, con, id), bundleEntries(t, emp, id)
	if uint64(len(empEntries)) != mine.Seq || len(conEntries) != len(empEntries) {
		t.Fatalf("contract %s: the bundles carry %d (contractor) and %d (employer) entries, the log has %d",
			id[:12], len(conEntries), len(empEntries), mine.Seq)
	}
	images := map[string]bool{}
	starts := map[int64]uint64{}
	for i, b := range empEntries {
		seq := uint64(i + 1)
		if !bytes.Equal(b, conEntries[i]) {
			t.Fatalf("contract %s: entry %d differs between the contractor's and the employer's copy", id[:12], seq)
		}
		e, err := ledger.OpenEntry(b)
		if err != nil {
			t.Fatalf("contract %s: the employer's entry %d does not open: %v", id[:12], seq, err)
		}
		if e.Entry.Seq != seq {
			t.Fatalf("contract %s: entry %d of the bundle says it is seq %d", id[:12], seq, e.Entry.Seq)
		}
		if prev, dup := starts[e.Entry.Start]; dup {
			t.Fatalf("contract %s: entries %d and %d are both the segment at %s", id[:12], prev, seq, time.Unix(e.Entry.Start, 0).UTC())
		}
		starts[e.Entry.Start] = seq
		seg := segs[seq]
		if !seg.Start.Equal(time.Unix(e.Entry.Start, 0)) {
			t.Fatalf("contract %s: entry %d is the segment at %s; the contractor's entry %d is segment %s",
				id[:12], seq, time.Unix(e.Entry.Start, 0).UTC(), seq, seg.ID)
		}
		var committed, shown []string
		for _, img := range e.Entry.Images {
			h := hex.EncodeToString(img.SHA256[:])
			committed = append(committed, h)
			images[h] = true
		}
		for _, img := range seg.Screenshots {
			shown = append(shown, img.Hash)
		}
		sort.Strings(committed)
		sort.Strings(shown)
		if strings.Join(committed, ",") != strings.Join(shown, ",") {
			t.Fatalf("contract %s: entry %d commits to images %v; its segment %s shows %v", id[:12], seq, committed, seg.ID, shown)
		}
	}
	return images
}

// checkReceipt fails unless note is a checkpoint of size seq signed by both
// parties (a C2SP signed note: body, blank line, one "— name signature"
// line per signer).
func checkReceipt(t *testing.T, side, note string, seq uint64, signers ...string) {
	t.Helper()
	body, sigs, ok := strings.Cut(note, "\n\n")
	lines := strings.Split(body, "\n")
	if !ok || len(lines) < 3 {
		t.Fatalf("the %s's receipt is not a signed checkpoint: %q", side, note)
	}
	if size, err := strconv.ParseUint(lines[1], 10, 64); err != nil || size != seq {
		t.Fatalf("the %s's receipt pins %q entries, want %d:\n%s", side, lines[1], seq, note)
	}
	for _, who := range signers {
		if !strings.Contains(sigs, "— "+who+" ") {
			t.Fatalf("the %s's receipt is not signed by %s:\n%s", side, who, note)
		}
	}
}

// bundleEntries exports a timesheet on one side, checks it with `workdiary
// verify`, and returns the log entries it carries (all of them, as held).
func bundleEntries(t *testing.T, home, id string) [][]byte {
	t.Helper()
	year, week := time.Now().UTC().ISOWeek()
	out := t.TempDir()
	var res struct {
		Files struct {
			Zip string `json:"zip"`
		} `json:"files"`
	}
	js := cli(t, home, "timesheet", "--contract", id, "--week", fmt.Sprintf("%d-W%02d", year, week), "--out", out, "--json")
	if err := json.Unmarshal([]byte(js), &res); err != nil || res.Files.Zip == "" {
		t.Fatalf("timesheet --json: %v %s", err, js)
	}
	cli(t, home, "verify", res.Files.Zip)
	z, err := zip.OpenReader(res.Files.Zip)
	if err != nil {
		t.Fatalf("open bundle %s: %v", res.Files.Zip, err)
	}
	defer z.Close()
	var names []string
	files := map[string]*zip.File{}
	for _, f := range z.File {
		if strings.HasPrefix(f.Name, "entries/") {
			names = append(names, f.Name)
			files[f.Name] = f
		}
	}
	sort.Strings(names)
	var entries [][]byte
	for i, name := range names {
		if want := fmt.Sprintf("entries/%06d.cose", i+1); name != want {
			t.Fatalf("bundle %s: member %s where %s belongs", res.Files.Zip, name, want)
		}
		r, err := files[name].Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		entries = append(entries, b)
	}
	return entries
}

// checkEmployerImages fails unless the employer's image folder holds
// exactly the images its entries commit to, each byte for byte the
// contractor's file, and nothing else.
func checkEmployerImages(t *testing.T, con, emp string, committed map[string]bool) {
	t.Helper()
	blobs, other := blobFolder(t, emp)
	if len(other) > 0 {
		t.Errorf("the employer's image folder holds %d files that are not images: %v", len(other), other)
	}
	for h := range committed {
		if _, ok := blobs[h]; !ok {
			t.Errorf("image %s, which an entry commits to, is missing on the employer's side", h)
		}
	}
	for h := range blobs {
		if !committed[h] {
			t.Errorf("the employer keeps image %s, which no entry commits to", h)
			continue
		}
		if !bytes.Equal(checkBlob(t, emp, h), checkBlob(t, con, h)) {
			t.Errorf("image %s differs between the two sides", h)
		}
	}
	if t.Failed() {
		t.FailNow()
	}
}

// checkImports runs the file transport over the result: the contractor's
// export imported by the synced employer finds nothing new, and imported by
// a copy of the employer that never synced yields the same logs and images.
func checkImports(t *testing.T, con, emp, pristine string, ids []string) {
	t.Helper()
	fresh := t.TempDir()
	copyFolder(t, pristine, fresh)
	blobsBefore, _ := blobFolder(t, emp)
	for _, id := range ids {
		file := filepath.Join(t.TempDir(), "log.zip")
		cli(t, con, "sync", "--export", file, "--contract", id)
		before := readLog(t, emp, id)
		cli(t, emp, "sync", "--import", file)
		if after := readLog(t, emp, id); after.Seq != before.Seq || after.Head != before.Head {
			t.Fatalf("contract %s: importing the contractor's export moved the synced employer from seq %d head %s to seq %d head %s",
				id[:12], before.Seq, before.Head, after.Seq, after.Head)
		}
		cli(t, fresh, "sync", "--import", file)
		if got, want := readLog(t, fresh, id), readLog(t, con, id); got.Seq != want.Seq || got.Head != want.Head {
			t.Fatalf("contract %s: a clean employer imports seq %d head %s, the contractor has seq %d head %s",
				id[:12], got.Seq, got.Head, want.Seq, want.Head)
		}
	}
	blobsAfter, _ := blobFolder(t, emp)
	blobsFresh, _ := blobFolder(t, fresh)
	if len(blobsAfter) != len(blobsBefore) || len(blobsFresh) != len(blobsBefore) {
		t.Fatalf("images: %d on the synced employer, %d after it imported the exports, %d on a clean employer after importing them",
			len(blobsBefore), len(blobsAfter), len(blobsFresh))
	}
	for h := range blobsBefore {
		if _, ok := blobsFresh[h]; !ok {
			t.Fatalf("image %s is on the synced employer but not on the clean employer that imported the exports", h)
		}
	}
}
