//go:build e2e && linux

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// diskSoakRounds is how many times a disk test repeats its cycle: once,
// or three times under WORKDIARY_SOAK=1 (`make soak`).
func diskSoakRounds() int { return bySoak(1, 3) }

// dataFolder is one data folder the disk tests drive through the CLI.
type dataFolder struct {
	t       *testing.T
	home    string
	display string
}

// run runs the CLI on the folder and returns everything it printed; a
// crash fails the test whatever the command was expected to do.
func (f dataFolder) run(args ...string) (string, error) {
	f.t.Helper()
	cmd := workdiaryCommand(f.t, f.home, args...)
	cmd.Env = append(os.Environ(), "DISPLAY="+f.display)
	out, err := cmd.CombinedOutput()
	noCrashIn(f.t, "workdiary "+strings.Join(args, " "), string(out))
	return string(out), err
}

// must runs a command that must succeed and returns its output.
func (f dataFolder) must(args ...string) string {
	f.t.Helper()
	out, err := f.run(args...)
	if err != nil {
		f.t.Fatalf("workdiary %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return out
}

// refused runs a command that must fail, and returns what it said.
func (f dataFolder) refused(args ...string) string {
	f.t.Helper()
	out, err := f.run(args...)
	if err == nil {
		f.t.Fatalf("workdiary %s succeeded; want it refused\n%s", strings.Join(args, " "), out)
	}
	f.t.Logf("workdiary %s\n  → %s", strings.Join(args, " "), strings.TrimSpace(out))
	return out
}

// track records at 120x for dur of tracked time, ending now.
func (f dataFolder) track(contract, memo, dur string) (string, error) {
	f.t.Helper()
	return f.run("track", "--contract", contract, "--memo", memo, "--for", dur, "--clock-speed", "120")
}

// noCrashIn fails the test on a panic, a fatal signal (SIGBUS is what a
// memory-mapped write does on a full disk) or a goroutine dump.
func noCrashIn(t *testing.T, what, out string) {
	t.Helper()
	for _, sign := range []string{"panic:", "fatal error:", "SIGBUS", "SIGSEGV", "goroutine "} {
		if strings.Contains(out, sign) {
			t.Fatalf("%s crashed (%q):\n%s", what, sign, out)
		}
	}
}

// mustMention fails the test unless out contains every part.
func mustMention(t *testing.T, what, out string, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(out, p) {
			t.Errorf("%s: the message lacks %q:\n%s", what, p, out)
		}
	}
}

// diskContract makes a contract from emp to con, accepted offline, and
// returns its ID; the first call creates both identities.
func diskContract(emp, con dataFolder, title string, screenshots int) string {
	emp.t.Helper()
	if _, err := os.Stat(filepath.Join(emp.home, "identity.key")); err != nil {
		emp.must("init", "--name", "Employer")
		con.must("init", "--name", "Contractor")
	}
	return offerAndAccept(emp.t, emp.must, con.must, offer{title: title, rate: "20", currency: "EUR", screenshots: screenshots})
}

// diskSetup is how a disk test starts.
type diskSetup struct {
	// employerOnDisk puts the employer's data folder on the small file
	// system; otherwise the contractor's is there.
	employerOnDisk bool
	// busyScreen fills the display with random text, so that every
	// screenshot takes real room on the disk.
	busyScreen bool
}

// startDiskTest mounts a small file system for the test and gives the
// employer and the contractor a data folder each, one of them on it. It
// returns ranInNamespace true in a process that may not mount, after it
// ran the test inside a mount namespace (runsInMountNamespace): the
// caller then returns.
func startDiskTest(t *testing.T, s diskSetup) (disk *smallFS, emp, con dataFolder, ranInNamespace bool) {
	t.Helper()
	display := requireDisplay(t)
	// Inside a user namespace a terminal cannot hand its pty to the tty
	// group, so the process outside starts it.
	if s.busyScreen && os.Getenv(envInNamespace) == "" {
		busyScreen(t, display, randomText)
	}
	if runsInMountNamespace(t) {
		return nil, dataFolder{}, dataFolder{}, true
	}
	disk = mountSmallFS(t, 64<<20)
	onDisk := dataFolder{t, filepath.Join(disk.Dir, "home"), display}
	elsewhere := dataFolder{t, t.TempDir(), display}
	if s.employerOnDisk {
		return disk, onDisk, elsewhere, false
	}
	return disk, elsewhere, onDisk, false
}

func (f dataFolder) diary() []segmentRecord {
	f.t.Helper()
	return decodeJSON[[]segmentRecord](f.t, "diary --json", f.must(diaryArgs...))
}

// diaryMinutes is every recorded minute, as "segment/minute"; a minute
// recorded twice fails the test.
func diaryMinutes(t *testing.T, segs []segmentRecord) map[string]bool {
	t.Helper()
	m := map[string]bool{}
	for _, s := range segs {
		for _, mm := range s.Minutes {
			k := fmt.Sprintf("%s/%d", s.ID, mm.Minute)
			if m[k] {
				t.Fatalf("minute %s is recorded twice", k)
			}
			m[k] = true
		}
	}
	return m
}

// keptEverything fails the test if a minute or a screenshot of before is
// missing from after.
func keptEverything(t *testing.T, before, after []segmentRecord) {
	t.Helper()
	now := diaryMinutes(t, after)
	for m := range diaryMinutes(t, before) {
		if !now[m] {
			t.Errorf("minute %s was recorded, and is gone", m)
		}
	}
	shots := map[string]bool{}
	for _, s := range after {
		for _, sh := range s.Screenshots {
			shots[s.ID+"/"+sh.Hash] = true
		}
	}
	for _, s := range before {
		for _, sh := range s.Screenshots {
			if !shots[s.ID+"/"+sh.Hash] {
				t.Errorf("screenshot %s of segment %s was recorded, and is gone", sh.Hash, s.ID)
			}
		}
	}
}

// images checks the folder's images: every file must be a whole image
// named by the SHA-256 of its bytes (no temporary or half-written file
// survives a full disk). It returns their sizes by hash.
func (f dataFolder) images() map[string]int64 {
	f.t.Helper()
	blobs, other := blobFolder(f.t, f.home)
	for _, rel := range other {
		f.t.Errorf("%s is not a whole image named by its hash", filepath.Join(f.home, "blobs", rel))
	}
	files := map[string]int64{}
	for hash, p := range blobs {
		data, err := os.ReadFile(p)
		if err != nil {
			f.t.Fatalf("read %s: %v", p, err)
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != hash {
			f.t.Errorf("%s is not a whole image named by its hash (%d bytes)", p, len(data))
			continue
		}
		files[hash] = int64(len(data))
	}
	return files
}

// imagesMatch fails the test unless the folder holds exactly the images
// in want: none missing, none left over from a refused write.
func (f dataFolder) imagesMatch(want map[string]bool) {
	f.t.Helper()
	have := f.images()
	for h := range want {
		if _, ok := have[h]; !ok {
			f.t.Errorf("image %s should be in %s and is not", h, f.home)
		}
	}
	for h := range have {
		if !want[h] {
			f.t.Errorf("image %s in %s belongs to nothing (left over from a refused write?)", h, f.home)
		}
	}
}

// diaryImages are the screenshots (and, with thumbs, their thumbnails)
// of the segments.
func diaryImages(segs []segmentRecord, thumbs bool) map[string]bool {
	want := map[string]bool{}
	for _, s := range segs {
		for _, sh := range s.Screenshots {
			want[sh.Hash] = true
			if thumbs {
				want[sh.Thumb] = true
			}
		}
	}
	return want
}

// log is where a contract's log stands in the folder.
func (f dataFolder) log(contract string) logPosition {
	f.t.Helper()
	return decodeJSON[logStatus](f.t, "log --json", f.must(logArgs(contract)...)).position()
}

// employerVerifies carries the contractor's log to the employer as a file:
// the import checks every signature, the chain and the images, so a log
// damaged by a full disk fails here.
func employerVerifies(con, emp dataFolder, contract string) {
	con.t.Helper()
	file := filepath.Join(con.t.TempDir(), "log.wdlog")
	con.must("sync", "--export", file, "--contract", contract)
	emp.must("sync", "--import", file)
	if got, want := emp.log(contract), con.log(contract); got != want {
		con.t.Fatalf("after the import the employer's log is at %+v, the contractor's at %+v", got, want)
	}
}
