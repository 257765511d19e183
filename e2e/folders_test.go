//go:build e2e

package e2e

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// What a data folder holds on disk: its image store, read as files, and
// copies of the whole folder.

// blobFolder lists a data folder's image files by name (their SHA-256,
// in the folder of its first two digits) with their paths, and anything
// else found among them (temporary or misplaced files) relative to the
// store.
func blobFolder(t *testing.T, home string) (blobs map[string]string, other []string) {
	t.Helper()
	blobs = map[string]string{}
	root := filepath.Join(home, "blobs")
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		if rel, _ := filepath.Rel(root, path); isHash(d.Name()) && rel == filepath.Join(d.Name()[:2], d.Name()) {
			blobs[d.Name()] = path
		} else {
			other = append(other, rel)
		}
		return nil
	})
	if err != nil && !os.IsNotExist(err) {
		t.Fatalf("list %s: %v", root, err)
	}
	return blobs, other
}

func isHash(s string) bool {
	b, err := hex.DecodeString(s)
	return err == nil && len(b) == sha256.Size && s == strings.ToLower(s)
}

// checkBlob fails unless the file holds exactly the bytes its name hashes,
// and returns them.
func checkBlob(t *testing.T, home, hash string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(home, "blobs", hash[:2], hash))
	if err != nil {
		t.Fatalf("image %s is not on disk: %v", hash, err)
	}
	if sum := sha256.Sum256(data); hex.EncodeToString(sum[:]) != hash {
		t.Fatalf("image file %s holds other bytes (SHA-256 %x)", hash, sum)
	}
	return data
}

// copyFolder copies a data folder that no process owns (regular files and
// folders only; a stale control socket is left behind).
func copyFolder(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, path)
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		switch {
		case d.IsDir():
			return os.MkdirAll(target, info.Mode().Perm())
		case info.Mode().IsRegular():
			return copyFile(path, target, info.Mode().Perm())
		}
		return nil
	})
	if err != nil {
		t.Fatalf("copy %s to %s: %v", src, dst, err)
	}
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// folderDigest is the SHA-256 of every regular file of a data folder,
// except the owner lock, whose holder note each command rewrites.
func folderDigest(t *testing.T, home string) map[string][32]byte {
	t.Helper()
	digest := map[string][32]byte{}
	err := filepath.WalkDir(home, func(p string, d os.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() || d.Name() == "owner.lock" {
			return err
		}
		data, err := os.ReadFile(p)
		digest[p] = sha256.Sum256(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return digest
}

// setConfig sets one setting in a data folder's config.json, keeping the
// others.
func setConfig(t *testing.T, home, key string, value any) {
	t.Helper()
	path := filepath.Join(home, "config.json")
	cfg := map[string]any{}
	if b, err := os.ReadFile(path); err == nil {
		if err := json.Unmarshal(b, &cfg); err != nil {
			t.Fatal(err)
		}
	}
	cfg[key] = value
	b, err := json.Marshal(cfg)
	if err == nil {
		err = os.WriteFile(path, b, 0o600)
	}
	if err != nil {
		t.Fatal(err)
	}
}
