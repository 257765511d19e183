package owner

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
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
}

type holder struct {
	PID  int    `json:"pid"`
	Role string `json:"role"`
}

// Acquire takes the folder for this process. role says who the owner is
// ("the desktop app", "workdiary serve", …) so that a refused process can
// tell the user what holds the folder.
func Acquire(dir, role string) (*Lock, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("create data folder: %w", err)
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
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := tryLock(f); err != nil {
		f.Close()
		return nil, busyError(dir, path, err)
	}
	info, _ := json.Marshal(holder{PID: os.Getpid(), Role: role})
	if err := f.Truncate(0); err == nil {
		_, _ = f.WriteAt(append(info, '\n'), 0)
	}
	return &Lock{dir: dir, role: role, f: f}, nil
}

func busyError(dir, path string, cause error) error {
	var h holder
	if b, err := os.ReadFile(path); err == nil && json.Unmarshal(b, &h) == nil && h.PID > 0 {
		return fmt.Errorf("%w: %s already runs on %s (pid %d); close it first, or use --home to pick another data folder",
			ErrBusy, h.Role, dir, h.PID)
	}
	return fmt.Errorf("%w: another Workdiary process owns %s (%v); close it first, or use --home to pick another data folder",
		ErrBusy, dir, cause)
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
