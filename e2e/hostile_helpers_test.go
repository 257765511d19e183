//go:build e2e

package e2e

import (
	"bufio"
	"bytes"
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer collects a running process's output while the test reads it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// program is a long-running process the test started.
type program struct {
	cmd            *exec.Cmd
	stdout, stderr *lockedBuffer
	exited         chan struct{} // closed once the process has exited
	err            error         // how it exited, once exited is closed
}

// startProgram starts path; the test's cleanup ends it if the test did
// not.
func startProgram(t *testing.T, path string, args ...string) *program {
	t.Helper()
	p := &program{cmd: exec.Command(path, args...), stdout: &lockedBuffer{}, stderr: &lockedBuffer{},
		exited: make(chan struct{})}
	p.cmd.Stdout, p.cmd.Stderr = p.stdout, p.stderr
	if err := p.cmd.Start(); err != nil {
		t.Fatalf("start %s: %v", filepath.Base(path), err)
	}
	go func() { p.err = p.cmd.Wait(); close(p.exited) }()
	t.Cleanup(func() {
		_ = p.cmd.Process.Kill() // fails harmlessly when it has exited
		<-p.exited
	})
	return p
}

// wait waits for the program to exit and says how it did.
func (p *program) wait() error {
	<-p.exited
	return p.err
}

func (p *program) running() bool {
	select {
	case <-p.exited:
		return false
	default:
		return true
	}
}

// serving is a running `workdiary serve` and the multiaddr (with /p2p/)
// it answers on.
type serving struct {
	*program
	target string
}

func startServe(t *testing.T, home string) serving {
	t.Helper()
	// The employer pulls only at start: every sync the test runs is one
	// it starts itself.
	p := startProgram(t, binary(t, "workdiary"), "--home", home, "serve",
		"--listen", "/ip4/127.0.0.1/tcp/0", "--every", "1h")
	waitFor(t, p.stdout, "Serving", 30*time.Second)
	var id struct {
		PeerID string   `json:"peer_id"`
		Addrs  []string `json:"addrs"`
	}
	if err := json.Unmarshal([]byte(cli(t, home, "id", "--json")), &id); err != nil || len(id.Addrs) == 0 {
		t.Fatalf("workdiary id of the serving node: %+v, %v", id, err)
	}
	return serving{program: p, target: id.Addrs[0] + "/p2p/" + id.PeerID}
}

// offerAndAccept makes an offer in emp that con accepts online, and
// returns the contract ID.
func offerAndAccept(t *testing.T, emp, con, title string, terms ...string) string {
	t.Helper()
	args := append([]string{"contract", "offer", "--title", title, "--rate", "30", "--currency", "USD"}, terms...)
	code := strings.TrimSpace(cli(t, emp, args...))
	cli(t, con, "contract", "accept", code)
	var list []struct{ ID, Title, State string }
	if err := json.Unmarshal([]byte(cli(t, con, "contract", "list", "--json")), &list); err != nil {
		t.Fatal(err)
	}
	for _, c := range list {
		if c.Title == title && c.State == "active" {
			return c.ID
		}
	}
	t.Fatalf("contract %q is not active on the contractor's side: %+v", title, list)
	return ""
}

// logHead is what `workdiary log --json` says of a contract's log.
type logHead struct {
	Seq      uint64 `json:"seq"`
	Head     string `json:"head"`
	Cosigned string `json:"cosigned"`
}

func logOf(t *testing.T, home, contract string) logHead {
	t.Helper()
	var h logHead
	if err := json.Unmarshal([]byte(cli(t, home, "log", "--contract", contract, "--json")), &h); err != nil {
		t.Fatal(err)
	}
	return h
}

type diarySegment struct {
	ID          string    `json:"id"`
	Start       time.Time `json:"start"`
	State       string    `json:"state"`
	Screenshots []struct {
		Hash string `json:"hash"`
	} `json:"screenshots"`
}

func diaryOf(t *testing.T, home string) []diarySegment {
	t.Helper()
	var segs []diarySegment
	if err := json.Unmarshal([]byte(cli(t, home, "diary", "--json")), &segs); err != nil {
		t.Fatal(err)
	}
	return segs
}

// blobFiles names every file in a data folder's image store, temporary
// ones included.
func blobFiles(t *testing.T, home string) map[string]bool {
	t.Helper()
	files := map[string]bool{}
	err := filepath.WalkDir(filepath.Join(home, "blobs"), func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files[d.Name()] = true
		}
		return err
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatal(err)
	}
	return files
}

// attackReport is one line of the hostile peer's output.
type attackReport struct {
	Attack   string `json:"attack"`
	As       string `json:"as"`
	Refused  bool   `json:"refused"`
	Code     string `json:"code"`
	Reason   string `json:"reason"`
	Duration string `json:"duration"`
}

func parseReports(t *testing.T, out string) []attackReport {
	t.Helper()
	var reports []attackReport
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var r attackReport
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			t.Fatalf("hostile peer printed %q, not a report: %v", sc.Text(), err)
		}
		reports = append(reports, r)
	}
	return reports
}

// buildHostilePeer compiles the attacking program from this tree.
func buildHostilePeer(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "hostilepeer")
	cmd := exec.Command("go", "build", "-o", bin, "./e2e/hostilepeer")
	cmd.Dir = repoRoot(t)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build the hostile peer: %v\n%s", err, out)
	}
	return bin
}
