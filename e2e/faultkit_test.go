//go:build e2e

package e2e

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// Shared by the fault tests (crash loop, sync under faults): the soak
// switch, a logged seed, background processes that can be killed, and
// readers for the diary and the image folder.

// soak reports whether the long versions run: WORKDIARY_SOAK=1, which
// `make soak` sets.
func soak() bool { return os.Getenv("WORKDIARY_SOAK") == "1" }

// bySoak is short in a normal run and long under WORKDIARY_SOAK=1.
func bySoak[T any](short, long T) T {
	if soak() {
		return long
	}
	return short
}

// faultRand is the source of every random choice of a fault test. The
// seed is logged so a failure can be replayed with WORKDIARY_SEED.
func faultRand(t *testing.T) *rand.Rand {
	t.Helper()
	seed := uint64(time.Now().UnixNano())
	if s := os.Getenv("WORKDIARY_SEED"); s != "" {
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("WORKDIARY_SEED=%q: want an unsigned integer", s)
		}
		seed = v
	}
	t.Logf("seed %d (replay with WORKDIARY_SEED=%d), soak %v", seed, seed, soak())
	return rand.New(rand.NewPCG(seed, seed^0x5eed))
}

// between is a random duration in [lo, hi).
func between(r *rand.Rand, lo, hi time.Duration) time.Duration {
	if hi <= lo {
		return lo
	}
	return lo + time.Duration(r.Int64N(int64(hi-lo)))
}

// procOutput collects a child's output while the test reads it.
type procOutput struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *procOutput) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *procOutput) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// proc is a workdiary command running in the background.
type proc struct {
	name string
	cmd  *exec.Cmd
	out  *procOutput
	done chan struct{}
	err  error // valid once done is closed
}

// startWorkdiary starts `workdiary --home HOME args…` with extra
// environment; the test's cleanup kills it if it still runs.
func startWorkdiary(t *testing.T, env []string, home string, args ...string) *proc {
	t.Helper()
	cmd := exec.Command(binary(t, "workdiary"), append([]string{"--home", home}, args...)...)
	cmd.Env = append(os.Environ(), env...)
	p := &proc{name: "workdiary " + strings.Join(args, " "), cmd: cmd, out: &procOutput{}, done: make(chan struct{})}
	cmd.Stdout, cmd.Stderr = p.out, p.out
	// A helper the program started (the tracker's input counter) may hold
	// the output open for a moment after a kill; do not wait on it long.
	cmd.WaitDelay = 5 * time.Second
	if err := cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", p.name, err)
	}
	go func() { p.err = cmd.Wait(); close(p.done) }()
	t.Cleanup(func() { p.kill9() })
	return p
}

// exited reports whether the process has ended.
func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// kill9 kills the process with SIGKILL (no chance to clean up) and waits
// until it is gone.
func (p *proc) kill9() {
	if !p.exited() {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
	}
	<-p.done
}

// hungOutput is the output of a process that hangs, with the stacks of
// its goroutines: SIGQUIT makes a Go program print them and exit.
func (p *proc) hungOutput() string {
	if !p.exited() {
		_ = p.cmd.Process.Signal(syscall.SIGQUIT)
		p.wait(5 * time.Second)
	}
	p.kill9()
	return p.out.String()
}

// stop asks the process to end (SIGTERM) and fails the test if it does not
// within d.
func (p *proc) stop(t *testing.T, d time.Duration) {
	t.Helper()
	if !p.exited() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
	}
	select {
	case <-p.done:
	case <-time.After(d):
		t.Fatalf("%s did not stop within %v of SIGTERM; output:\n%s", p.name, d, p.hungOutput())
	}
}

// wait waits for the process to end by itself; false if it still runs
// after d.
func (p *proc) wait(d time.Duration) bool {
	select {
	case <-p.done:
		return true
	case <-time.After(d):
		return false
	}
}

// waitOutput polls the output for text until the deadline; false if the
// text did not appear or the process ended first without it.
func (p *proc) waitOutput(text string, d time.Duration) bool {
	deadline := time.Now().Add(d)
	for time.Now().Before(deadline) {
		if strings.Contains(p.out.String(), text) {
			return true
		}
		if p.exited() {
			return strings.Contains(p.out.String(), text)
		}
		time.Sleep(20 * time.Millisecond)
	}
	return false
}

// tryCLI runs a workdiary command and returns its stdout, or an error
// with its stderr.
func tryCLI(t *testing.T, home string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command(binary(t, "workdiary"), append([]string{"--home", home}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return string(out), fmt.Errorf("workdiary %s: %v: %s", strings.Join(args, " "), err, strings.TrimSpace(stderr.String()))
	}
	return string(out), nil
}

// setUpContract makes the employer offer a contract (screenshots per
// segment as given, no weekly limit) that the contractor accepts offline,
// and returns its ID.
func setUpContract(t *testing.T, emp, con, title string, screenshots int) string {
	t.Helper()
	code := strings.TrimSpace(cli(t, emp, "contract", "offer", "--title", title, "--rate", "20.00", "--currency", "EUR",
		"--screenshots", strconv.Itoa(screenshots)))
	cli(t, con, "contract", "accept", code, "--offline")
	var list []struct{ ID, Title string }
	if err := json.Unmarshal([]byte(cli(t, con, "contract", "list", "--json")), &list); err != nil {
		t.Fatalf("contract list --json: %v", err)
	}
	for _, c := range list {
		if c.Title == title {
			return c.ID
		}
	}
	t.Fatalf("the contractor's contract list has no %q after accepting: %+v", title, list)
	return ""
}

// startScreenTicker shows a terminal that prints the time many times a
// second, so that screenshots differ and each is its own image file.
func startScreenTicker(t *testing.T, display string) {
	t.Helper()
	term := exec.Command("xterm", "-geometry", "100x30+40+40", "-e", "sh", "-c", "while :; do date +%T.%N; sleep 0.05; done")
	term.Env = append(os.Environ(), "DISPLAY="+display)
	if err := term.Start(); err != nil {
		t.Fatalf("start xterm: %v", err)
	}
	t.Cleanup(func() { _ = term.Process.Kill(); _, _ = term.Process.Wait() })
}

// segmentRecord is what the fault tests read of `diary --json`.
type segmentRecord struct {
	ID          string         `json:"id"`
	Contract    string         `json:"contract"`
	Start       time.Time      `json:"start"`
	State       string         `json:"state"`
	Entry       uint64         `json:"entry"`
	Minutes     []minuteRecord `json:"minutes"`
	Screenshots []imageRecord  `json:"screenshots"`
	Webcam      []imageRecord  `json:"webcam"`
}

type minuteRecord struct {
	Minute  int  `json:"minute"`
	Keys    int  `json:"keys"`
	Clicks  int  `json:"clicks"`
	Scrolls int  `json:"scrolls"`
	Moved   bool `json:"moved"`
}

type imageRecord struct {
	Hash    string    `json:"hash"`
	Thumb   string    `json:"thumb"`
	TakenAt time.Time `json:"taken_at"`
}

// readDiary is every segment of every contract, whatever its time.
func readDiary(t *testing.T, home string) ([]segmentRecord, error) {
	t.Helper()
	out, err := tryCLI(t, home, "diary", "--json", "--from", "2000-01-01", "--to", "2100-01-01")
	if err != nil {
		return nil, err
	}
	var segs []segmentRecord
	if err := json.Unmarshal([]byte(out), &segs); err != nil {
		return nil, fmt.Errorf("diary --json: %v", err)
	}
	return segs, nil
}

func mustReadDiary(t *testing.T, home string) []segmentRecord {
	t.Helper()
	segs, err := readDiary(t, home)
	if err != nil {
		t.Fatal(err)
	}
	return segs
}

// minuteKey names one tracked minute of one contract.
type minuteKey struct {
	contract string
	at       time.Time
}

// minutesOf indexes a diary by minute; a minute listed twice is an error.
func minutesOf(segs []segmentRecord) (map[minuteKey]minuteRecord, error) {
	out := map[minuteKey]minuteRecord{}
	slots := map[minuteKey]bool{}
	for _, s := range segs {
		if slots[minuteKey{s.Contract, s.Start}] {
			return nil, fmt.Errorf("segment %s appears twice in the diary", s.ID)
		}
		slots[minuteKey{s.Contract, s.Start}] = true
		for _, m := range s.Minutes {
			if m.Minute < 0 || m.Minute > 9 {
				return nil, fmt.Errorf("segment %s has minute index %d, outside 0..9", s.ID, m.Minute)
			}
			k := minuteKey{s.Contract, s.Start.Add(time.Duration(m.Minute) * time.Minute)}
			if _, dup := out[k]; dup {
				return nil, fmt.Errorf("minute %s is recorded twice (segment %s)", k.at.Format(time.RFC3339), s.ID)
			}
			out[k] = m
		}
	}
	return out, nil
}

// blobFolder lists a data folder's image files by name (their SHA-256) and
// anything else found among them.
func blobFolder(t *testing.T, home string) (blobs map[string]string, other []string) {
	t.Helper()
	blobs = map[string]string{}
	root := filepath.Join(home, "blobs")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if rel, _ := filepath.Rel(root, path); isHash(d.Name()) && rel == filepath.Join(d.Name()[:2], d.Name()) {
			blobs[d.Name()] = path
		} else {
			other = append(other, rel)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatalf("list %s: %v", root, err)
	}
	return blobs, other
}

func isHash(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size && s == strings.ToLower(s)
}

// checkBlob fails unless the file holds exactly the bytes its name hashes.
func checkBlob(t *testing.T, home, hash string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(home, "blobs", hash[:2], hash))
	if err != nil {
		t.Fatalf("image %s is not on disk: %v", hash, err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != hash {
		t.Fatalf("image file %s holds other bytes (SHA-256 %x)", hash, sum)
	}
	return data
}

// copyFolder copies a data folder that no process owns (regular files and
// folders only; a stale control socket is left behind).
func copyFolder(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm())
		case info.Mode().IsRegular():
			return copyFile(path, target, info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatalf("copy %s to %s: %v", src, dst, err)
	}
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// logStatus is `workdiary log --json`.
type logStatus struct {
	Contract   string `json:"contract"`
	LogID      string `json:"log_id"`
	Seq        uint64 `json:"seq"`
	Head       string `json:"head"`
	Checkpoint string `json:"checkpoint"`
	Cosigned   string `json:"cosigned"`
	Approved   int    `json:"approved"`
}

func readLog(t *testing.T, home, contract string) logStatus {
	t.Helper()
	var st logStatus
	if err := json.Unmarshal([]byte(cli(t, home, "log", "--contract", contract, "--json")), &st); err != nil {
		t.Fatalf("log --json: %v", err)
	}
	return st
}
