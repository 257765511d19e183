package relocate

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"syscall"
	"testing"
)

// folder makes a data folder with nested files, an empty folder, a sparse
// file like Badger's DISCARD, and returns what each file holds.
func folder(t *testing.T) (string, map[string][]byte) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "workdiary")
	if err := os.Mkdir(dir, 0o700); err != nil {
		t.Fatal(err)
	}
	want := map[string][]byte{
		"config.json":       []byte(`{"idle_minutes":10}`),
		"identity.key":      bytes.Repeat([]byte{7}, 68),
		"db/000001.vlog":    bytes.Repeat([]byte("entry"), 40000),
		"blobs/ab/abcdef01": bytes.Repeat([]byte{0xff, 0xd8, 1, 2}, 5000),
	}
	for rel, b := range want {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, "blobs", "cd"), 0o700); err != nil {
		t.Fatal(err)
	}
	sparse := filepath.Join(dir, "db", "DISCARD")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("head"), 0); err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(1 << 20); err != nil {
		t.Fatal(err)
	}
	f.Close()
	want["db/DISCARD"] = append([]byte("head"), make([]byte, 1<<20-4)...)
	return dir, want
}

// same asserts that dir holds exactly want.
func same(t *testing.T, dir string, want map[string][]byte) {
	t.Helper()
	for rel, b := range want {
		got, err := os.ReadFile(filepath.Join(dir, rel))
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("%s in %s: %d bytes, err %v; want the original %d bytes", rel, dir, len(got), err, len(b))
		}
	}
	if st, err := os.Stat(filepath.Join(dir, "blobs", "cd")); err != nil || !st.IsDir() {
		t.Fatalf("the empty folder blobs/cd did not come along: %v", err)
	}
}

func gone(t *testing.T, dir string) {
	t.Helper()
	if _, err := os.Stat(dir); !errors.Is(err, os.ErrNotExist) {
		t.Fatalf("%s still exists (%v)", dir, err)
	}
}

func TestMoveRenamesOnOneDisk(t *testing.T) {
	from, want := folder(t)
	to := filepath.Join(t.TempDir(), "new", "place")
	p, err := Mover{}.Move(from, to)
	if err != nil || p.Copy {
		t.Fatalf("move: %+v %v; want a rename", p, err)
	}
	same(t, to, want)
	gone(t, from)
}

// A move to another disk copies, syncs and verifies, then removes the old
// folder; holes stay holes.
func TestMoveCopiesAcrossDisks(t *testing.T) {
	for _, c := range []struct {
		name string
		m    Mover
		to   func(t *testing.T) string
	}{
		{"rename says EXDEV", Mover{Rename: func(string, string) error {
			return &os.LinkError{Op: "rename", Err: syscall.EXDEV}
		}}, func(t *testing.T) string { return filepath.Join(t.TempDir(), "moved") }},
		{"another file system", Mover{}, func(t *testing.T) string {
			shm, err := os.MkdirTemp("/dev/shm", "wd-relocate-")
			if err != nil || sameDevice(shm, t.TempDir()) {
				os.RemoveAll(shm)
				t.Skip("no second file system (/dev/shm) here")
			}
			t.Cleanup(func() { os.RemoveAll(shm) })
			return filepath.Join(shm, "moved")
		}},
		{"an existing empty folder", Mover{sameFS: func(string, string) bool { return false }}, func(t *testing.T) string {
			d := t.TempDir()
			if err := os.Chmod(d, 0o755); err != nil {
				t.Fatal(err)
			}
			return d
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			from, want := folder(t)
			to := c.to(t)
			p, err := c.m.Move(from, to)
			if err != nil || !p.Copy {
				t.Fatalf("move: %+v %v; want a copy", p, err)
			}
			same(t, to, want)
			gone(t, from)
			if st, err := os.Stat(to); err != nil || st.Mode().Perm() != 0o700 {
				t.Errorf("the moved folder's mode is %v (%v); want 0700 like the original", st.Mode().Perm(), err)
			}
			if runtime.GOOS == "linux" {
				if used := allocated(t, filepath.Join(to, "db", "DISCARD")); used > 64<<10 {
					t.Errorf("the sparse DISCARD takes %d bytes after the copy; want its holes kept", used)
				}
			}
		})
	}
}

// Every refusal leaves the folder where it was, whole, and writes nothing
// at the target.
func TestMoveRefusals(t *testing.T) {
	from, want := folder(t)
	full := t.TempDir()
	if err := os.WriteFile(filepath.Join(full, "notes.txt"), []byte("mine"), 0o600); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "a-file")
	if err := os.WriteFile(file, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	copying := func(free int64) Mover {
		return Mover{sameFS: func(string, string) bool { return false }, FreeSpace: func(string) (int64, bool) { return free, true }}
	}
	for _, c := range []struct {
		name string
		m    Mover
		to   string
		want error
	}{
		{"the folder itself", Mover{}, from, ErrInside},
		{"inside it", Mover{}, filepath.Join(from, "blobs", "new"), ErrInside},
		{"inside it, by a relative path", Mover{}, from + "/db/../sub", ErrInside},
		{"a folder with something in it", Mover{}, full, ErrNotEmpty},
		{"a file", Mover{}, file, ErrNotFolder},
		{"a disk without room", copying(100 << 10), filepath.Join(t.TempDir(), "small"), ErrNoSpace},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := c.m.Move(from, c.to)
			if !errors.Is(err, c.want) {
				t.Fatalf("move to %s: %v; want %v", c.to, err, c.want)
			}
			same(t, from, want)
		})
	}
	if b, _ := os.ReadFile(filepath.Join(full, "notes.txt")); string(b) != "mine" {
		t.Fatal("the non-empty target was changed")
	}
	if _, err := os.Stat(filepath.Join(from, "blobs", "new")); !errors.Is(err, os.ErrNotExist) {
		t.Fatal("a refused move inside the folder created its target")
	}
}

// A copy that does not read back as the original is undone: the old
// folder stays whole and the new place is left as it was.
func TestMoveUndoesABadCopy(t *testing.T) {
	for _, existing := range []bool{false, true} {
		from, want := folder(t)
		to := filepath.Join(t.TempDir(), "moved")
		if existing {
			if err := os.Mkdir(to, 0o700); err != nil {
				t.Fatal(err)
			}
		}
		m := Mover{sameFS: func(string, string) bool { return false }, afterCopy: func(to string) {
			if err := os.WriteFile(filepath.Join(to, "blobs", "ab", "abcdef01"), []byte("flipped"), 0o600); err != nil {
				t.Fatal(err)
			}
		}}
		if _, err := m.Move(from, to); err == nil {
			t.Fatal("a corrupted copy was accepted")
		}
		same(t, from, want)
		entries, err := os.ReadDir(to)
		if existing && (err != nil || len(entries) != 0) {
			t.Fatalf("the empty target holds %v after the undo (%v); want it empty", entries, err)
		}
		if !existing {
			gone(t, to)
		}
	}
}
