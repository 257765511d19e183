//go:build e2e && linux

package e2e

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/store"
)

// The employer's disk is full when a contractor syncs: the contractor's
// sync fails and says why, the employer's copy keeps nothing of the
// refused batch (same seq, no stray or half-written image), the employer
// keeps serving, and once space is back the same sync completes with the
// whole log: the same head hash, every image.
func TestDiskFullEmployerSync(t *testing.T) {
	disk, emp, con, ranInNamespace := startDiskTest(t, diskSetup{employerOnDisk: true, busyScreen: true})
	if ranInNamespace {
		return
	}
	var srv *proc
	synced := map[string]logPosition{}

	// Each round is a new contract: tracked time cannot be added under
	// segments the last round approved.
	for round := range diskSoakRounds() {
		contract := diskContract(emp, con, fmt.Sprintf("Disk %d", round), 3)
		if srv == nil {
			srv = startServe(t, emp.home, "")
		}
		// An acceptance the employer's full disk refuses is still queued:
		// it is delivered once there is room.
		disk.FillTo(0)
		out := con.refused("sync", "--contract", contract)
		mustMention(t, "acceptance to an employer whose disk is full", out, "FAILED", "employer's disk is full")
		disk.Empty()
		con.must("sync", "--contract", contract)
		if out, err := con.track(contract, fmt.Sprintf("round %d", round), "20m"); err != nil {
			t.Fatalf("track: %v\n%s", err, out)
		}
		con.must("approve", "--contract", contract, "--all")
		want := con.log(contract)
		held := emp.log(contract)
		heldImages := map[string]bool{}
		for h := range emp.images() {
			heldImages[h] = true
		}

		for _, full := range []struct {
			name string
			free int64
		}{{"full to the last byte", 0}, {"below the reserve", store.MinFreeSpace / 2}} {
			disk.FillTo(full.free)
			out = con.refused("sync", "--contract", contract)
			mustMention(t, "sync to an employer whose disk is "+full.name, out, "FAILED", "refused by the other side", "employer's disk is full")
			if got := emp.log(contract); got != held {
				t.Fatalf("round %d, disk %s: the employer's log moved from %+v to %+v", round, full.name, held, got)
			}
			emp.imagesMatch(heldImages)
			serveAlive(t, srv)
		}

		disk.Empty()
		con.must("sync", "--contract", contract)
		if got := emp.log(contract); got != want {
			t.Fatalf("round %d: with space back the employer's log is at %+v, the contractor's at %+v", round, got, want)
		}
		var approved []segmentRecord
		for _, s := range con.diary() {
			if s.State != "recorded" {
				approved = append(approved, s)
			}
		}
		emp.imagesMatch(diaryImages(approved, false))
		synced[contract] = want
	}

	t.Logf("the employer's serve said:\n%s", stopServe(t, srv))
	// Closed normally, the employer's folder opens with the whole log.
	for contract, want := range synced {
		if got := emp.log(contract); got != want {
			t.Fatalf("after serve stopped the employer's log of %s is at %+v, want %+v", contract, got, want)
		}
	}
}

// serveAlive fails the test if serve has exited or crashed.
func serveAlive(t *testing.T, srv *proc) {
	t.Helper()
	noCrashIn(t, "workdiary serve", srv.out.String())
	if srv.exited() {
		t.Fatalf("workdiary serve exited (%v):\n%s", srv.err, srv.out.String())
	}
}

// stopServe ends serve as Ctrl-C would, fails the test unless it stopped
// cleanly, and returns what it printed.
func stopServe(t *testing.T, srv *proc) string {
	t.Helper()
	srv.stop(t, 20*time.Second)
	out := srv.out.String()
	noCrashIn(t, "workdiary serve", out)
	if srv.err != nil || !strings.Contains(out, "Stopped.") {
		t.Errorf("workdiary serve did not stop cleanly (%v):\n%s", srv.err, out)
	}
	return out
}
