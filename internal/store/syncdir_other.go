//go:build !windows

package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
)

// syncDir makes a folder's entries (or a file's contents) durable: after a
// rename into a folder, the folder must be synced for the new name to
// survive a crash. A path that does not exist is nothing to sync.
func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
