package owner

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"syscall"
)

// ErrBusy means another process owns the data folder.
var ErrBusy = errors.New("data folder is in use")

const lockName = "owner.lock"

// Lock is held by the owner of a data folder for as long as it runs. The
// operating system releases it when the process dies, so a crash never
// leaves a folder locked.
type Lock struct {
	dir  string
	role string
	f    *os.File
	// inflight counts the control requests being answered (see Drain).
	inflight sync.WaitGroup
}

// holder is what the lock file says about the process holding it. Owner
// marks a long-running owner (the desktop app, `serve`, a foreground
// `track`); without it the holder is a command that has the folder for a
// moment, which a starting owner waits for (see AcquireOwner).
type holder struct {
	PID   int    `json:"pid"`
	Role  string `json:"role"`
	Owner bool   `json:"owner,omitempty"`
}

// Acquire takes the folder for this process for the length of one command.
// role says who the holder is ("workdiary id", …) so that a refused process
// can tell the user what holds the folder. It fails at once when the folder
// is held.
func Acquire(dir, role string) (*Lock, error) {
	l, _, _, err := tryAcquire(dir, holder{PID: os.Getpid(), Role: role})
	return l, err
}

// tryAcquire takes the lock once. held says the lock is taken by another
// process, and other is what the lock file says of it.
func tryAcquire(dir string, me holder) (l *Lock, other holderInfo, held bool, err error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, other, false, fmt.Errorf("create data folder: %w", err)
	}
	path := filepath.Join(dir, lockName)
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if errors.Is(err, syscall.EROFS) {
		// A folder on a read-only file system can still be read; the lock
		// works on a file opened for reading.
		if ro, rerr := os.Open(path); rerr == nil {
			f, err = ro, nil
		}
	}
	if err != nil {
		return nil, other, false, fmt.Errorf("open %s: %w", path, err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		other = readHolder(path)
		return nil, other, errors.Is(err, syscall.EWOULDBLOCK), busyError(dir, other, err)
	}
	info, _ := json.Marshal(me)
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt(append(info, '\n'), 0)
	}
	return &Lock{dir: dir, role: me.Role, f: f}, other, false, nil
}

// holderInfo is the lock file's record of its holder; ok is false when the
// file held none (its holder is still writing it) or could not be read.
type holderInfo struct {
	holder
	ok bool
}

func readHolder(path string) holderInfo {
	var h holder
	b, err := os.ReadFile(path)
	if err != nil || json.Unmarshal(b, &h) != nil || h.PID <= 0 {
		return holderInfo{}
	}
	return holderInfo{holder: h, ok: true}
}

func busyError(dir string, h holderInfo, cause error) error {
	if h.ok {
		return fmt.Errorf("%w: %s already runs on %s (pid %d)", ErrBusy, h.Role, dir, h.PID)
	}
	return fmt.Errorf("%w: another Workdiary process owns %s (%v)", ErrBusy, dir, cause)
}

// Dir is the data folder this lock holds.
func (l *Lock) Dir() string { return l.dir }

// Role is who holds the lock.
func (l *Lock) Role() string { return l.role }

// Release gives the folder up.
func (l *Lock) Release() error {
	if l == nil || l.f == nil {
		return nil
	}
	_ = l.f.Truncate(0)
	err := l.f.Close() // closing drops the lock
	l.f = nil
	return err
}
