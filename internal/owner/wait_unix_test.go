//go:build unix

package owner_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/workdiary/workdiary/internal/owner"
)

// A crash leaves the owner's record in the lock file. A command that takes
// the folder next may hold it a moment before it writes its own record: a
// starting owner must not take the dead owner's record for a live one.
func TestOwnerIgnoresARecordLeftByACrash(t *testing.T) {
	dir := t.TempDir()
	dead := exec.Command("true")
	if err := dead.Run(); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "owner.lock")
	stale := fmt.Sprintf(`{"pid":%d,"role":"workdiary serve","owner":true}`+"\n", dead.Process.Pid)
	if err := os.WriteFile(path, []byte(stale), 0o600); err != nil {
		t.Fatal(err)
	}
	// The command, caught between taking the lock and writing its record.
	f, err := os.OpenFile(path, os.O_RDWR, 0o600)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
	time.AfterFunc(time.Second, func() { f.Close() })
	l, err := owner.AcquireOwner(context.Background(), dir, "the Workdiary desktop app", nil)
	if err != nil {
		t.Fatalf("AcquireOwner with a dead owner's record in the lock file: %v; want it to wait for the holder", err)
	}
	l.Release()
}
