//go:build e2e && linux

package e2e

import (
	"testing"

	"github.com/workdiary/workdiary/internal/store"
)

// An employer whose serve starts on a nearly full disk opens its folder
// read-only: it serves, and refuses a contractor's sync saying its disk is
// full. Once space is freed the very same serve process takes the sync:
// freeing space is enough, nobody has to restart anything.
func TestServeStartedOnFullDiskWritesOnceFreed(t *testing.T) {
	disk, emp, con, ranInNamespace := startDiskTest(t, diskSetup{employerOnDisk: true, busyScreen: true})
	if ranInNamespace {
		return
	}
	contract := diskContract(emp, con, "Started full", 3)
	if out, err := con.track(contract, "before the disk filled", "20m"); err != nil {
		t.Fatalf("track: %v\n%s", err, out)
	}
	con.must("approve", "--contract", contract, "--all")
	want := con.log(contract)

	disk.FillTo(store.MinFreeSpace / 2)
	srv := startServe(t, emp.home, "")
	out := con.refused("sync", "--contract", contract)
	mustMention(t, "sync to a serve started on a nearly full disk", out, "FAILED", "employer's disk is full")
	serveAlive(t, srv)

	disk.Empty()
	con.must("sync", "--contract", contract)
	if got := emp.log(contract); got != want {
		t.Fatalf("with space freed the employer's log is at %+v, the contractor's at %+v", got, want)
	}
	serveAlive(t, srv)
	var approved []segmentRecord
	for _, s := range con.diary() {
		if s.State != "recorded" {
			approved = append(approved, s)
		}
	}
	emp.imagesMatch(diaryImages(approved, false))
	t.Logf("serve said:\n%s", stopServe(t, srv))
}
