package app

import (
	"errors"
	"os"
	"path/filepath"
	"testing"
)

func TestInsideFolderTakesOnlyExportedFiles(t *testing.T) {
	home := t.TempDir()
	exports := filepath.Join(home, "exports")
	if err := os.MkdirAll(filepath.Join(exports, "sub"), 0o755); err != nil {
		t.Fatal(err)
	}
	zip := filepath.Join(exports, "week.zip")
	secret := filepath.Join(home, "key")
	for _, f := range []string{zip, secret} {
		if err := os.WriteFile(f, []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	link := filepath.Join(exports, "link.zip")
	if err := os.Symlink(secret, link); err != nil {
		t.Fatal(err)
	}

	if got, err := insideFolder(exports, zip); err != nil || filepath.Base(got) != "week.zip" {
		t.Fatalf("insideFolder(%s) = %q, %v", zip, got, err)
	}
	for _, bad := range []string{secret, link, filepath.Join(exports, "..", "key"), "week.zip", exports,
		filepath.Join(exports, "sub")} {
		if _, err := insideFolder(exports, bad); !errors.Is(err, ErrNotExported) {
			t.Errorf("insideFolder(%s) = %v, want ErrNotExported", bad, err)
		}
	}
	if _, err := insideFolder(exports, filepath.Join(exports, "gone.zip")); err == nil || errors.Is(err, ErrNotExported) {
		t.Errorf("a missing file: %v, want 'is gone'", err)
	}
}

func TestCopyFileWritesACopy(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "a.pdf"), filepath.Join(dir, "b.pdf")
	if err := os.WriteFile(src, []byte("%PDF-1.3"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(dst, []byte("old, longer content"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := copyFile(src, dst); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(dst); string(b) != "%PDF-1.3" {
		t.Fatalf("copy holds %q", b)
	}
	if _, err := os.Stat(dst + ".part"); !os.IsNotExist(err) {
		t.Fatalf("the partial file is left behind: %v", err)
	}
}
