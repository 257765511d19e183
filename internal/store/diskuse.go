package store

import (
	"io/fs"
	"path/filepath"
)

// DiskUse reports how much disk the folder dir takes (blocks allocated,
// so Badger's sparse logs count for what they hold) and how much its disk
// has free (-1 when the platform cannot say). Files that vanish during the
// walk, as Badger's compactions do, are skipped.
func DiskUse(dir string) (used, free int64, err error) {
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return nil
		}
		if info, ierr := d.Info(); ierr == nil {
			used += allocated(info)
		}
		return nil
	})
	free, ok := freeSpace(dir)
	if !ok {
		free = -1
	}
	return used, free, err
}
