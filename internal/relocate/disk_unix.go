//go:build unix

package relocate

import (
	"errors"
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// sameDevice reports whether a and b are on one file system (a rename
// between them works); unknown counts as not.
func sameDevice(a, b string) bool {
	var sa, sb unix.Stat_t
	if unix.Stat(a, &sa) != nil || unix.Stat(b, &sb) != nil {
		return false
	}
	return sa.Dev == sb.Dev
}

func crossDevice(err error) bool { return errors.Is(err, syscall.EXDEV) }

func freeSpace(dir string) (int64, bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(dir, &st); err != nil {
		return -1, false
	}
	return int64(st.Bavail) * int64(st.Bsize), true
}

// syncDir makes a folder's entries durable.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil && !errors.Is(err, syscall.EINVAL) {
		return err
	}
	return nil
}
