//go:build e2e

package e2e

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// holdLock takes home's owner.lock as a short command would (its record
// names "workdiary id" and this process) and gives it up after d.
func holdLock(t *testing.T, home string, d time.Duration) {
	t.Helper()
	f, err := os.OpenFile(filepath.Join(home, "owner.lock"), os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatalf("lock %s: %v", f.Name(), err)
	}
	rec, _ := json.Marshal(map[string]any{"pid": os.Getpid(), "role": "workdiary id"})
	if _, err := f.WriteAt(append(rec, '\n'), 0); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(d, func() { _ = f.Truncate(0); f.Close() })
}

// A command that has the folder for a moment does not keep `serve` from
// starting: serve waits for it, and says what it waits for.
func TestServeWaitsForAShortCommand(t *testing.T) {
	home := t.TempDir()
	cli(t, home, "init", "--name", "Contractor")
	holdLock(t, home, 2*time.Second)
	serve := startServe(t, home, "/ip4/127.0.0.1/tcp/0")
	if !strings.Contains(serve.stderr.String(), "waiting for workdiary id (pid ") {
		t.Errorf("serve waited 2 s without saying for what; stderr:\n%s", serve.stderr.String())
	}
	serve.stop(t, 15*time.Second)
}

// Scripts polling `workdiary id --json` while `serve` starts: serve comes
// up, and every poll answers, locally before serve holds the folder and
// through it after.
func TestServeStartsAmidShortCommands(t *testing.T) {
	home := t.TempDir()
	cli(t, home, "init", "--name", "Contractor")
	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failures []string
	polls := 0
	for i := 0; i < 2; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stop:
					return
				default:
				}
				out, err := workdiaryCommand(t, home, "id", "--json").CombinedOutput()
				mu.Lock()
				polls++
				if err != nil {
					failures = append(failures, string(out))
				}
				mu.Unlock()
			}
		}()
	}
	time.Sleep(300 * time.Millisecond)
	serve := startServe(t, home, "/ip4/127.0.0.1/tcp/0")
	time.Sleep(time.Second)
	close(stop)
	wg.Wait()
	if len(failures) > 0 {
		t.Errorf("%d of %d `workdiary id` polls failed while serve started, first: %s", len(failures), polls, failures[0])
	}
	if serve.exited() {
		t.Fatalf("serve exited; output:\n%s", serve.out.String())
	}
	serve.stop(t, 15*time.Second)
}
