package relocate

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// chunk is the copy's unit; a chunk of zeros becomes a hole, so that
// sparse files (Badger's DISCARD) stay sparse.
const chunk = 1 << 16

// copyTree copies every folder, regular file and symlink of from into to,
// each file synced, each folder synced once its entries are, and returns
// the regular files copied (relative paths). Sockets and other special
// files (the control socket) belong to a running owner and are skipped.
func copyTree(from, to string) ([]string, error) {
	var files, dirs []string
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			dirs = append(dirs, dst)
			if err := os.MkdirAll(dst, info.Mode().Perm()|0o700); err != nil {
				return err
			}
			// An empty folder chosen as the new place keeps its mode
			// otherwise (often 0755): the data folder is the owner's.
			return os.Chmod(dst, info.Mode().Perm()|0o700)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(path)
			if err != nil {
				return err
			}
			return os.Symlink(target, dst)
		case d.Type().IsRegular():
			files = append(files, rel)
			return copyFile(path, dst, info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := syncDir(dirs[i]); err != nil {
			return nil, err
		}
	}
	return files, syncDir(filepath.Dir(to))
}

func copyFile(from, to string, perm fs.FileMode) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, perm)
	if err != nil {
		return err
	}
	buf := make([]byte, chunk)
	zero := make([]byte, chunk)
	var n int64
	for {
		k, rerr := io.ReadFull(in, buf)
		if k > 0 {
			if bytes.Equal(buf[:k], zero[:k]) {
				_, err = out.Seek(int64(k), io.SeekCurrent)
			} else {
				_, err = out.Write(buf[:k])
			}
			if err != nil {
				out.Close()
				return err
			}
			n += int64(k)
		}
		if rerr == io.EOF || rerr == io.ErrUnexpectedEOF {
			break
		}
		if rerr != nil {
			out.Close()
			return rerr
		}
	}
	// A trailing hole sets the length only through Truncate.
	if err := out.Truncate(n); err != nil {
		out.Close()
		return err
	}
	if err := out.Sync(); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// verify reads every copied file back and compares it with the original.
func verify(from, to string, files []string) error {
	for _, rel := range files {
		a, err := digest(filepath.Join(from, rel))
		if err != nil {
			return err
		}
		b, err := digest(filepath.Join(to, rel))
		if err != nil {
			return err
		}
		if a != b {
			return fmt.Errorf("%s differs from the original", rel)
		}
	}
	return nil
}

func digest(path string) ([sha256.Size]byte, error) {
	var sum [sha256.Size]byte
	f, err := os.Open(path)
	if err != nil {
		return sum, err
	}
	defer f.Close()
	h := sha256.New()
	if _, err := io.Copy(h, f); err != nil {
		return sum, fmt.Errorf("read %s: %w", path, err)
	}
	copy(sum[:], h.Sum(nil))
	return sum, nil
}
