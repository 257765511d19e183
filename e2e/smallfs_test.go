//go:build e2e && linux

package e2e

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// smallFS is a tmpfs of a few dozen MiB mounted for one test, so that a
// data folder on it can run out of space, get it back, or turn read-only.
type smallFS struct {
	t      *testing.T
	Dir    string
	filler string
}

// mountFlags are kept on every remount: inside a user namespace a remount
// may not drop them.
const mountFlags = syscall.MS_NOSUID | syscall.MS_NODEV

// mountSmallFS mounts a tmpfs of size bytes; it is unmounted when the test
// ends, after the processes the test started are gone.
func mountSmallFS(t *testing.T, size int64) *smallFS {
	t.Helper()
	dir := t.TempDir()
	if err := syscall.Mount("tmpfs", dir, "tmpfs", mountFlags, fmt.Sprintf("size=%d,mode=0700", size)); err != nil {
		t.Fatalf("mount a %d MiB tmpfs on %s: %v (the test needs root or a user namespace, see runsInMountNamespace)", size>>20, dir, err)
	}
	t.Cleanup(func() {
		for i := 0; ; i++ {
			err := syscall.Unmount(dir, 0)
			if err == nil {
				return
			}
			if i == 50 {
				t.Errorf("unmount %s: %v; detaching it", dir, err)
				_ = syscall.Unmount(dir, syscall.MNT_DETACH)
				return
			}
			time.Sleep(100 * time.Millisecond) // a process the test killed may still be closing its files
		}
	})
	return &smallFS{t: t, Dir: dir, filler: filepath.Join(dir, "filler")}
}

// Free is how many bytes can still be written.
func (f *smallFS) Free() int64 {
	f.t.Helper()
	var st syscall.Statfs_t
	if err := syscall.Statfs(f.Dir, &st); err != nil {
		f.t.Fatalf("statfs %s: %v", f.Dir, err)
	}
	return int64(st.Bavail) * st.Bsize
}

// FillTo grows or shrinks a filler file until exactly free bytes are left
// (tmpfs counts whole pages, so free is rounded down to one).
func (f *smallFS) FillTo(free int64) {
	f.t.Helper()
	free &^= 4095
	file, err := os.OpenFile(f.filler, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		f.t.Fatalf("filler: %v", err)
	}
	defer file.Close()
	info, err := file.Stat()
	if err != nil {
		f.t.Fatal(err)
	}
	switch now := f.Free(); {
	case now > free:
		err = syscall.Fallocate(int(file.Fd()), 0, info.Size(), now-free)
	case now < free:
		err = file.Truncate(max(0, info.Size()-(free-now)))
	}
	if err != nil {
		f.t.Fatalf("fill %s to leave %d bytes: %v", f.Dir, free, err)
	}
	if got := f.Free(); got != free {
		f.t.Fatalf("filled %s to leave %d bytes, but %d are free", f.Dir, free, got)
	}
}

// Empty removes the filler: the space comes back.
func (f *smallFS) Empty() {
	f.t.Helper()
	if err := os.Remove(f.filler); err != nil && !os.IsNotExist(err) {
		f.t.Fatal(err)
	}
}

// Remount makes the file system read-only or read-write again.
func (f *smallFS) Remount(readOnly bool) {
	f.t.Helper()
	flags := uintptr(syscall.MS_REMOUNT | mountFlags)
	if readOnly {
		flags |= syscall.MS_RDONLY
	}
	if err := syscall.Mount("", f.Dir, "", flags, ""); err != nil {
		f.t.Fatalf("remount %s (read-only %v): %v", f.Dir, readOnly, err)
	}
}

// envInNamespace marks a test process that runsInMountNamespace started.
const envInNamespace = "WORKDIARY_E2E_MOUNT_NAMESPACE"

// runsInMountNamespace makes sure the test can mount file systems. Root
// can; anyone else re-runs the test inside `unshare -Urm` (a user and
// mount namespace, where they are root of their own mounts), and then this
// copy only reports how that went: it returns true, and the caller
// returns. A test that cannot get a file system fails: it never skips.
func runsInMountNamespace(t *testing.T) bool {
	t.Helper()
	probe := t.TempDir()
	err := syscall.Mount("tmpfs", probe, "tmpfs", mountFlags, "size=1m")
	if err == nil {
		_ = syscall.Unmount(probe, 0)
		return false
	}
	if os.Getenv(envInNamespace) != "" {
		t.Fatalf("cannot mount a tmpfs even inside a user and mount namespace: %v", err)
	}
	unshare, lerr := exec.LookPath("unshare")
	if lerr != nil {
		t.Fatalf("cannot mount a tmpfs (%v), and unshare(1) is missing to get a mount namespace: run as root or install util-linux", err)
	}
	args := []string{"-Urm", os.Args[0], "-test.run=^" + t.Name() + "$", "-test.count=1", "-test.v"}
	if to := flag.Lookup("test.timeout"); to != nil {
		args = append(args, "-test.timeout="+to.Value.String())
	}
	cmd := exec.Command(unshare, args...)
	cmd.Env = append(os.Environ(), envInNamespace+"=1")
	out, rerr := cmd.CombinedOutput()
	t.Logf("this process may not mount (%v); the test ran inside `unshare -Urm`:\n%s", err, out)
	if rerr != nil {
		t.Fatalf("%s inside a user and mount namespace: %v", t.Name(), rerr)
	}
	return true
}
