//go:build e2e && linux

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// diskSoakRounds is how many times a disk test repeats its cycle: once,
// or three times under WORKDIARY_SOAK=1 (`make soak`).
func diskSoakRounds() int {
	if os.Getenv("WORKDIARY_SOAK") == "1" {
		return 3
	}
	return 1
}

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
	cmd := exec.Command(binary(f.t, "workdiary"), append([]string{"--home", f.home}, args...)...)
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
	code := strings.TrimSpace(emp.must("contract", "offer", "--title", title, "--rate", "20",
		"--currency", "EUR", "--screenshots", fmt.Sprint(screenshots)))
	con.must("contract", "accept", code, "--offline")
	var list []struct{ ID, Title string }
	if err := json.Unmarshal([]byte(con.must("contract", "list", "--json")), &list); err != nil {
		con.t.Fatal(err)
	}
	for _, c := range list {
		if c.Title == title {
			return c.ID
		}
	}
	con.t.Fatalf("contract %q is not in the contractor's list: %+v", title, list)
	return ""
}

// busyScreen fills the display with a terminal printing random text, so
// that every screenshot differs and takes real room on the disk. Call it
// before runsInMountNamespace: inside a user namespace a terminal cannot
// hand its pty to the tty group, so the process outside starts it.
func busyScreen(t *testing.T, display string) {
	t.Helper()
	if os.Getenv(envInNamespace) != "" {
		return
	}
	term := exec.Command("xterm", "-geometry", "200x60+0+0", "-T", "wd-e2e-disk", "-e", "sh", "-c",
		"while :; do head -c 6000 /dev/urandom | base64 -w 190; sleep 0.05; done")
	term.Env = append(os.Environ(), "DISPLAY="+display)
	if err := term.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = term.Process.Kill(); _, _ = term.Process.Wait() })
	waitForWindow(t, "wd-e2e-disk", 20*time.Second)
}

// diaryEntry is what the disk tests compare of a segment.
type diaryEntry struct {
	ID          string
	State       string
	Minutes     []struct{ Minute, Keys, Clicks int }
	Screenshots []struct{ Hash, Thumb string }
}

func (f dataFolder) diary() []diaryEntry {
	f.t.Helper()
	var segs []diaryEntry
	if err := json.Unmarshal([]byte(f.must("diary", "--json", "--from", "2000-01-01")), &segs); err != nil {
		f.t.Fatal(err)
	}
	return segs
}

// diaryMinutes is every recorded minute, as "segment/minute"; a minute
// recorded twice fails the test.
func diaryMinutes(t *testing.T, segs []diaryEntry) map[string]bool {
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
func keptEverything(t *testing.T, before, after []diaryEntry) {
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
	files := map[string]int64{}
	root := filepath.Join(f.home, "blobs")
	err := filepath.WalkDir(root, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != d.Name() {
			f.t.Errorf("%s is not a whole image named by its hash (%d bytes)", p, len(data))
			return nil
		}
		files[d.Name()] = int64(len(data))
		return nil
	})
	if err != nil {
		f.t.Fatalf("read %s: %v", root, err)
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
func diaryImages(segs []diaryEntry, thumbs bool) map[string]bool {
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

// logPosition is where a contract's log stands in one data folder.
type logPosition struct {
	Seq  uint64 `json:"seq"`
	Head string `json:"head"`
}

func (f dataFolder) log(contract string) logPosition {
	f.t.Helper()
	var p logPosition
	if err := json.Unmarshal([]byte(f.must("log", "--contract", contract, "--json")), &p); err != nil {
		f.t.Fatal(err)
	}
	return p
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
