//go:build linux

package store

import (
	"fmt"
	"os"

	"golang.org/x/sys/unix"
)

// flushFS writes everything pending on the file system that holds dir to
// disk with one syncfs call.
func flushFS(dir string, _ int) error {
	d, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("flush %s: %w", dir, err)
	}
	defer d.Close()
	if err := unix.Syncfs(int(d.Fd())); err != nil {
		return fmt.Errorf("flush %s: %w", dir, err)
	}
	return nil
}
