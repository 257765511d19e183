//go:build e2e && linux

package e2e

import (
	"fmt"
	"reflect"
	"testing"

	"github.com/workdiary/workdiary/internal/store"
)

// The tracker on a disk that fills up under it: it stops with a message
// that names the problem and the folder (no crash, no crash loop), keeps
// every minute and screenshot recorded before, leaves no half-written
// image; while the disk stays full, reads work and writes say why not;
// with space back the diary is intact, tracking resumes, and the approved
// log verifies on the employer's side.
func TestDiskFullWhileTracking(t *testing.T) {
	disk, emp, con, ranInNamespace := startDiskTest(t, diskSetup{busyScreen: true})
	if ranInNamespace {
		return
	}
	contract := diskContract(emp, con, "Disk", 3)

	// A first run with room to spare: a record that must survive, and the
	// size of one screenshot on this display.
	if out, err := con.track(contract, "with room", "10m"); err != nil {
		t.Fatalf("track with room to spare: %v\n%s", err, out)
	}
	shot := int64(0)
	for _, size := range con.images() {
		shot = max(shot, size)
	}
	shot += 64 << 10 // its thumbnail, and the minutes written meanwhile

	for round := range diskSoakRounds() {
		before := con.diary()
		// Room above the reserve for three segments' screenshots: the disk
		// runs out in the middle of the run, after minutes were saved.
		disk.FillTo(store.MinFreeSpace + 9*shot + shot/2)
		// Each round tracks an earlier stretch of time than the last, so
		// that every round records minutes of its own.
		out, err := con.track(contract, fmt.Sprintf("round %d", round), fmt.Sprintf("%dm", 100+50*round))
		if err == nil {
			t.Fatalf("round %d: the tracker never ran out of space (%d bytes free):\n%s", round, disk.Free(), out)
		}
		t.Logf("round %d: the tracker on a full disk said:\n%s", round, out)
		mustMention(t, "the tracker on a full disk", out, "tracking stopped at", "everything recorded before is kept",
			"no space left on the data folder's disk", con.home, "free some space on that disk")
		during := con.diary()
		keptEverything(t, before, during)
		if len(diaryMinutes(t, during)) <= len(diaryMinutes(t, before)) {
			t.Fatalf("round %d: the run recorded no minute before the disk filled", round)
		}
		con.imagesMatch(diaryImages(during, true))

		// Below the reserve the folder opens read-only: the diary reads,
		// and writes are refused with the reason.
		disk.FillTo(store.MinFreeSpace / 2)
		if got := con.diary(); !reflect.DeepEqual(got, during) {
			t.Fatalf("round %d: the diary read on a full disk differs from the one recorded", round)
		}
		mustMention(t, "approve on a full disk", con.refused("approve", "--contract", contract, "--all"),
			"no space left on the data folder's disk", con.home, "free some space on that disk")
		out, err = con.track(contract, "full", "2m")
		if err == nil {
			t.Fatalf("round %d: track on a full disk started:\n%s", round, out)
		}
		t.Logf("track on a full disk\n  → %s", out)
		mustMention(t, "track on a full disk", out, "cannot track", "no space left on the data folder's disk", con.home)

		// Space back: everything is there, and tracking picks up again.
		disk.Empty()
		after := con.diary()
		if !reflect.DeepEqual(after, during) {
			t.Fatalf("round %d: with space back the diary differs from the one recorded", round)
		}
		if out, err := con.track(contract, "space back", fmt.Sprintf("%dm", 20+10*round)); err != nil {
			t.Fatalf("round %d: track with space back: %v\n%s", round, err, out)
		}
		resumed := con.diary()
		keptEverything(t, after, resumed)
		if len(diaryMinutes(t, resumed)) <= len(diaryMinutes(t, after)) {
			t.Fatalf("round %d: tracking with space back recorded nothing", round)
		}
		con.imagesMatch(diaryImages(resumed, true))
	}

	t.Logf("approve with space back: %s", con.must("approve", "--contract", contract, "--all"))
	if con.log(contract).Seq == 0 {
		t.Fatal("approve --all signed nothing")
	}
	employerVerifies(con, emp, contract)
}

// A data folder on a read-only file system: reads work and show what is
// there; every write is refused with a message naming the folder and the
// cause; remounted read-write, not a byte has changed and everything works.
func TestDiskReadOnlyDataFolder(t *testing.T) {
	disk, emp, con, ranInNamespace := startDiskTest(t, diskSetup{})
	if ranInNamespace {
		return
	}
	contract := diskContract(emp, con, "Read-only", 1)
	// Twenty-five minutes span three segments at least, two of them
	// finished: the first is approved (the log has an entry), the second
	// is left for approval later, the last stays open to curation.
	if out, err := con.track(contract, "before", "25m"); err != nil {
		t.Fatalf("track: %v\n%s", err, out)
	}
	if segs := con.diary(); len(segs) >= 3 {
		con.must("approve", "--contract", contract, segs[0].ID)
	} else {
		t.Fatalf("25 minutes of tracking made %d segments, want 3 or more", len(segs))
	}
	segs := con.diary()
	open := segs[len(segs)-1].ID
	contracts := con.must("contract", "list", "--json")
	head := con.log(contract)
	files := folderDigest(t, con.home)

	for round := range diskSoakRounds() {
		disk.Remount(true)
		if got := con.diary(); !reflect.DeepEqual(got, segs) {
			t.Fatalf("round %d: the diary read from the read-only folder differs", round)
		}
		if got := con.must("contract", "list", "--json"); got != contracts {
			t.Fatalf("round %d: contract list on the read-only folder = %s, want %s", round, got, contracts)
		}
		if got := con.log(contract); got != head {
			t.Fatalf("round %d: log on the read-only folder = %+v, want %+v", round, got, head)
		}
		for _, args := range [][]string{
			{"approve", "--contract", contract, "--all"},
			{"contract", "offer", "--title", "More", "--rate", "30", "--currency", "EUR"},
			{"diary", "memo", open, "--memo", "changed"},
			{"diary", "delete", open},
			{"track", "--contract", contract, "--memo", "read-only", "--for", "2m", "--clock-speed", "120"},
		} {
			mustMention(t, args[0]+" on a read-only folder", con.refused(args...),
				"the data folder is on a read-only file system", con.home, "remount it read-write")
		}
		disk.Remount(false)
		if got := folderDigest(t, con.home); !reflect.DeepEqual(got, files) {
			t.Fatalf("round %d: files changed while the folder was read-only:\nbefore %v\nafter  %v", round, files, got)
		}
	}

	// Read-write again: every kind of write works, nothing was lost.
	con.must("contract", "offer", "--title", "More", "--rate", "30", "--currency", "EUR")
	con.must("diary", "memo", open, "--memo", "changed")
	if out, err := con.track(contract, "read-write again", "5m"); err != nil {
		t.Fatalf("track after remounting read-write: %v\n%s", err, out)
	}
	keptEverything(t, segs, con.diary())
	con.must("approve", "--contract", contract, "--all")
	if got := con.log(contract); got.Seq <= head.Seq {
		t.Fatalf("after approve --all the log is at %+v, before at %+v", got, head)
	}
	con.imagesMatch(diaryImages(con.diary(), true))
	employerVerifies(con, emp, contract)
}
