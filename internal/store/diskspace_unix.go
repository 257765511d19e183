//go:build unix

package store

import (
	"os"
	"syscall"

	"golang.org/x/sys/unix"
)

// freeSpace is how many bytes an ordinary writer can still put on the file
// system that holds path; ok is false when it cannot be told.
func freeSpace(path string) (free int64, ok bool) {
	var st unix.Statfs_t
	if err := unix.Statfs(path, &st); err != nil {
		return -1, false
	}
	return int64(st.Bavail) * int64(st.Bsize), true
}

// readOnlyFS reports whether path is on a file system mounted read-only.
// access(2) says so even to root, whom permission bits do not stop.
func readOnlyFS(path string) bool {
	return unix.Access(path, unix.W_OK) == unix.EROFS
}

// allocated is the disk space a file really takes, which for a sparse file
// is less than its size.
func allocated(info os.FileInfo) int64 {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return int64(st.Blocks) * 512
	}
	return info.Size()
}
