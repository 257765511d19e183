//go:build !unix

package store

import "os"

// freeSpace cannot be told on this platform: writes are not held back, and
// a full disk shows as the system's error (see ExplainDiskError).
func freeSpace(string) (int64, bool) { return -1, false }

// readOnlyFS is not detected ahead on this platform; opening for writing
// fails instead.
func readOnlyFS(string) bool { return false }

// allocated assumes a file takes its whole size.
func allocated(info os.FileInfo) int64 { return info.Size() }
