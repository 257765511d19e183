package store

import (
	"errors"
	"fmt"
	"strings"
	"syscall"
)

// Errors of the disk under a data folder, compared with errors.Is. Their
// texts begin every DiskError message, so a message that crossed the
// control socket as plain text is still recognised (and not explained
// twice).
var (
	// ErrDiskFull means the data folder's disk has no room for a write.
	ErrDiskFull = errors.New("no space left on the data folder's disk")
	// ErrReadOnly means the data folder is on a read-only file system.
	ErrReadOnly = errors.New("the data folder is on a read-only file system")
)

// DiskError is a write that the data folder's disk refused, told so that
// the user knows which folder, what happened and what to do.
type DiskError struct {
	Dir  string // the data folder
	Kind error  // ErrDiskFull or ErrReadOnly
	Free int64  // bytes free on the disk, or -1 when unknown
	Need int64  // bytes the refused write needed besides MinFreeSpace
	Err  error  // what the system said, if it said anything
}

func (e *DiskError) Error() string {
	const fix = "free some space on that disk, then try again"
	switch {
	case e.Kind == ErrReadOnly:
		return fmt.Sprintf("%v: %s cannot be written; remount it read-write (or use another data folder), then try again", ErrReadOnly, e.Dir)
	case e.Err != nil && isQuota(e.Err):
		return fmt.Sprintf("%v: %s (your disk quota is used up); %s", ErrDiskFull, e.Dir, fix)
	case e.Err != nil && e.Free >= 0:
		return fmt.Sprintf("%v: %s (the disk is full, %s free); %s", ErrDiskFull, e.Dir, size(e.Free), fix)
	case e.Err != nil:
		return fmt.Sprintf("%v: %s (the disk is full); %s", ErrDiskFull, e.Dir, fix)
	}
	if e.Need > 0 {
		return fmt.Sprintf("%v: %s has %s free, too little for %s more plus the %s that Workdiary keeps free so that no write is ever cut off halfway; %s",
			ErrDiskFull, e.Dir, size(e.Free), size(e.Need), size(MinFreeSpace), fix)
	}
	return fmt.Sprintf("%v: %s has %s free, less than the %s that Workdiary keeps free so that no write is ever cut off halfway; %s",
		ErrDiskFull, e.Dir, size(e.Free), size(MinFreeSpace), fix)
}

// Is makes errors.Is(err, ErrDiskFull) and errors.Is(err, ErrReadOnly)
// work.
func (e *DiskError) Is(target error) bool { return target == e.Kind }

// Unwrap returns what the system said.
func (e *DiskError) Unwrap() error { return e.Err }

// ExplainDiskError turns a full disk (ENOSPC, EDQUOT) or a read-only file
// system (EROFS) found in err into a *DiskError naming the data folder dir.
// Libraries that flatten errors into text (Badger among them) are
// recognised by the system's message. Any other error, and one already
// explained, comes back unchanged.
func ExplainDiskError(dir string, err error) error {
	if err == nil || errors.Is(err, ErrDiskFull) || errors.Is(err, ErrReadOnly) || explained(err) {
		return err
	}
	switch kind := diskProblem(err); kind {
	case ErrDiskFull:
		free, _ := freeSpaceOf(dir)
		return &DiskError{Dir: dir, Kind: kind, Free: free, Err: err}
	case ErrReadOnly:
		return &DiskError{Dir: dir, Kind: kind, Free: -1, Err: err}
	}
	return err
}

// IsDiskProblem reports whether err says the disk is full or read-only,
// explained or not.
func IsDiskProblem(err error) bool {
	return err != nil && (errors.Is(err, ErrDiskFull) || errors.Is(err, ErrReadOnly) || explained(err) || diskProblem(err) != nil)
}

// diskProblem classifies err as ErrDiskFull, ErrReadOnly or neither (nil).
func diskProblem(err error) error {
	switch {
	case errors.Is(err, syscall.ENOSPC) || isQuota(err) || hasText(err, syscall.ENOSPC):
		return ErrDiskFull
	case errors.Is(err, syscall.EROFS) || hasText(err, syscall.EROFS):
		return ErrReadOnly
	}
	return nil
}

func isQuota(err error) bool {
	return errors.Is(err, syscall.EDQUOT) || hasText(err, syscall.EDQUOT)
}

// hasText reports whether err's message contains the system's text for
// errno, for errors whose chain was lost on the way.
func hasText(err error, errno syscall.Errno) bool {
	return strings.Contains(err.Error(), errno.Error())
}

// explained reports whether err's text already carries a DiskError's
// explanation, as an owner's error does after the control socket.
func explained(err error) bool {
	msg := err.Error()
	return strings.Contains(msg, ErrDiskFull.Error()) || strings.Contains(msg, ErrReadOnly.Error())
}

// size is a byte count for people: "812 B", "41.2 KiB", "16.0 MiB".
func size(n int64) string {
	switch {
	case n < 0:
		n = 0
		fallthrough
	case n < 1<<10:
		return fmt.Sprintf("%d B", n)
	case n < 1<<20:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	case n < 1<<30:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
}
