//go:build unix

package relocate

import (
	"os"
	"syscall"
	"testing"
)

// allocated is how many bytes of disk path takes, holes left out.
func allocated(t *testing.T, path string) int64 {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return st.Sys().(*syscall.Stat_t).Blocks * 512
}
