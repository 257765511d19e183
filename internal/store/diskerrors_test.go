package store

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"
	"syscall"
	"testing"
)

func TestExplainDiskError(t *testing.T) {
	const dir = "/data/workdiary"
	pathErr := func(errno syscall.Errno) error {
		return &fs.PathError{Op: "write", Path: dir + "/blobs/ab/.tmp-1", Err: errno}
	}
	tests := []struct {
		name     string
		err      error
		kind     error    // nil: the error must come back unchanged
		contains []string // in the explained message
	}{
		{"no space, wrapped", fmt.Errorf("store blob: %w", pathErr(syscall.ENOSPC)), ErrDiskFull,
			[]string{"no space left on the data folder's disk", dir, "the disk is full", "free some space"}},
		{"quota", fmt.Errorf("save: %w", pathErr(syscall.EDQUOT)), ErrDiskFull,
			[]string{"no space left on the data folder's disk", "quota"}},
		{"read-only, wrapped", fmt.Errorf("open lock: %w", pathErr(syscall.EROFS)), ErrReadOnly,
			[]string{"read-only file system", dir, "remount it read-write"}},
		// Badger and the control socket flatten errors into text.
		{"no space, text only", errors.New(`Cannot write pid file "/data/workdiary/db/LOCK": write /data/workdiary/db/LOCK: no space left on device`), ErrDiskFull,
			[]string{"no space left on the data folder's disk", dir}},
		{"read-only, text only", errors.New("open /data/workdiary/owner.lock: read-only file system"), ErrReadOnly,
			[]string{"read-only file system", dir}},
		{"other error", errors.New("segment 1 is already approved"), nil, nil},
		{"permission", pathErr(syscall.EACCES), nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := ExplainDiskError(dir, tc.err)
			if tc.kind == nil {
				if got != tc.err {
					t.Fatalf("ExplainDiskError(%v) = %v, want the error unchanged", tc.err, got)
				}
				if IsDiskProblem(tc.err) {
					t.Errorf("IsDiskProblem(%v) = true, want false", tc.err)
				}
				return
			}
			if !errors.Is(got, tc.kind) {
				t.Fatalf("ExplainDiskError(%v) = %v, want errors.Is %v", tc.err, got, tc.kind)
			}
			if !errors.Is(got, tc.err) && errors.Unwrap(got) != tc.err {
				t.Errorf("the explained error does not wrap the original %v", tc.err)
			}
			if !IsDiskProblem(tc.err) || !IsDiskProblem(got) {
				t.Errorf("IsDiskProblem: original %v, explained %v; want both true", IsDiskProblem(tc.err), IsDiskProblem(got))
			}
			for _, want := range tc.contains {
				if !strings.Contains(got.Error(), want) {
					t.Errorf("message %q lacks %q", got, want)
				}
			}
		})
	}
}

// An explanation is given once: not again to an explained error, nor to
// its text after it crossed the control socket.
func TestExplainDiskErrorOnce(t *testing.T) {
	first := ExplainDiskError("/a", fmt.Errorf("x: %w", syscall.ENOSPC))
	if again := ExplainDiskError("/b", first); again != first {
		t.Fatalf("explained twice: %v", again)
	}
	remote := errors.New("refused: " + first.Error())
	if got := ExplainDiskError("/b", remote); got != remote {
		t.Fatalf("the text of an explanation was explained again: %v", got)
	}
	if !IsDiskProblem(remote) {
		t.Fatal("IsDiskProblem does not recognise an explanation's text")
	}
	if ExplainDiskError("/a", nil) != nil || IsDiskProblem(nil) {
		t.Fatal("nil is not a disk problem")
	}
}

func TestDiskErrorMessages(t *testing.T) {
	tests := []struct {
		err  *DiskError
		want string
	}{
		{&DiskError{Dir: "/d", Kind: ErrDiskFull, Free: 3 << 20},
			"no space left on the data folder's disk: /d has 3.0 MiB free, less than the 16.0 MiB that Workdiary keeps free so that no write is ever cut off halfway; free some space on that disk, then try again"},
		{&DiskError{Dir: "/d", Kind: ErrDiskFull, Free: 16 << 20, Need: 41 << 10},
			"no space left on the data folder's disk: /d has 16.0 MiB free, too little for 41.0 KiB more plus the 16.0 MiB that Workdiary keeps free so that no write is ever cut off halfway; free some space on that disk, then try again"},
		{&DiskError{Dir: "/d", Kind: ErrDiskFull, Free: 0, Err: syscall.ENOSPC},
			"no space left on the data folder's disk: /d (the disk is full, 0 B free); free some space on that disk, then try again"},
		{&DiskError{Dir: "/d", Kind: ErrDiskFull, Free: -1, Err: syscall.ENOSPC},
			"no space left on the data folder's disk: /d (the disk is full); free some space on that disk, then try again"},
		{&DiskError{Dir: "/d", Kind: ErrReadOnly, Free: -1},
			"the data folder is on a read-only file system: /d cannot be written; remount it read-write (or use another data folder), then try again"},
	}
	for _, tc := range tests {
		if got := tc.err.Error(); got != tc.want {
			t.Errorf("got  %q\nwant %q", got, tc.want)
		}
	}
}
