//go:build windows

package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// syncDir makes a file's contents durable; for a folder it does nothing.
// Windows flushes only handles opened for writing (FlushFileBuffers on a
// handle from os.Open fails with "Access denied"), a folder cannot be
// opened for writing, and NTFS journals its folder entries itself, so a
// renamed file's new name survives a crash without a folder sync.
func syncDir(path string) error {
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return nil
	case err != nil:
		return fmt.Errorf("sync %s: %w", path, err)
	case info.IsDir():
		return nil
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	defer f.Close()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", path, err)
	}
	return nil
}
