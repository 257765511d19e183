//go:build !unix

package relocate

import (
	"errors"
	"os"
)

// sameDevice cannot be told here: the rename is tried, and a failure makes
// the move a copy.
func sameDevice(a, b string) bool { return true }

// crossDevice: any rename failure between folders is taken as another
// volume (Windows says ERROR_NOT_SAME_DEVICE), and the move copies.
func crossDevice(err error) bool { var le *os.LinkError; return errors.As(err, &le) }

func freeSpace(string) (int64, bool) { return -1, false }

// syncDir: folders are not synced on this platform; files are.
func syncDir(string) error { return nil }
