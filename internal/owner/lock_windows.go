//go:build windows

package owner

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/windows"
)

// lockOffset is where the lock's one byte lies: far past the holder's
// record, because Windows locks are mandatory and a lock over the record
// would stop the next process from reading who holds the folder.
const lockOffset = 1 << 32

// tryLock takes an exclusive lock without waiting. Closing the file (or the
// process ending) releases it, as flock does on Unix. A lock held by
// another process is reported as EWOULDBLOCK, like flock's.
func tryLock(f *os.File) error {
	ol := windows.Overlapped{Offset: lockOffset & 0xffffffff, OffsetHigh: lockOffset >> 32}
	err := windows.LockFileEx(windows.Handle(f.Fd()), windows.LOCKFILE_EXCLUSIVE_LOCK|windows.LOCKFILE_FAIL_IMMEDIATELY, 0, 1, 0, &ol)
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return syscall.EWOULDBLOCK
	}
	return err
}

// alive reports whether a process with this pid is still running; one we
// may not open (another user's) counts as running.
func alive(pid int) bool {
	h, err := windows.OpenProcess(windows.PROCESS_QUERY_LIMITED_INFORMATION, false, uint32(pid))
	if err != nil {
		return errors.Is(err, windows.ERROR_ACCESS_DENIED)
	}
	defer windows.CloseHandle(h)
	var code uint32
	if err := windows.GetExitCodeProcess(h, &code); err != nil {
		return true
	}
	const stillActive = 259
	return code == stillActive
}

// nobodyListens reports the dial errors Windows gives when no owner
// listens: a stale socket file refuses the connection with Winsock's own
// code, and a Windows without AF_UNIX (before 10 1803, or Wine) cannot
// have an owner listening either.
func nobodyListens(err error) bool {
	return errors.Is(err, windows.WSAECONNREFUSED) || errors.Is(err, windows.WSAEAFNOSUPPORT)
}
