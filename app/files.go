package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pkg/browser"
	"github.com/wailsapp/wails/v2/pkg/runtime"
)

// ErrNotExported: the window asked for a file outside the exports folder.
var ErrNotExported = errors.New("only files Workdiary exported can be opened or saved from here")

// insideFolder returns path when, links resolved, it is a file inside dir.
func insideFolder(dir, path string) (string, error) {
	root, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", fmt.Errorf("nothing has been exported yet: %w", err)
	}
	if !filepath.IsAbs(path) {
		return "", fmt.Errorf("%w: %s", ErrNotExported, path)
	}
	// A link inside the folder could point anywhere: compare where it leads.
	real, err := filepath.EvalSymlinks(filepath.Clean(path))
	if err != nil {
		return "", fmt.Errorf("%s is gone: export it again", filepath.Base(path))
	}
	rel, err := filepath.Rel(root, real)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%w: %s", ErrNotExported, path)
	}
	if fi, err := os.Stat(real); err != nil || !fi.Mode().IsRegular() {
		return "", fmt.Errorf("%w: %s", ErrNotExported, path)
	}
	return real, nil
}

// openWithDesktop hands a file or folder to the desktop's default
// application (xdg-open, open or start).
func openWithDesktop(path string) error {
	if err := browser.OpenFile(path); err != nil {
		return fmt.Errorf("the desktop could not open %s: %w", filepath.Base(path), err)
	}
	return nil
}

// saveDialog asks where to save a file named name; "" when cancelled.
func saveDialog(ctx context.Context, name string) (string, error) {
	if ctx == nil {
		return "", errors.New("there is no window to ask where to save")
	}
	filter := []runtime.FileFilter{{DisplayName: strings.ToUpper(strings.TrimPrefix(filepath.Ext(name), ".")) + " files",
		Pattern: "*" + filepath.Ext(name)}}
	return runtime.SaveFileDialog(ctx, runtime.SaveDialogOptions{Title: "Save a copy", DefaultFilename: name,
		Filters: filter, CanCreateDirectories: true})
}

// copyFile writes a copy of src to dst, replacing it.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return fmt.Errorf("read %s: %w", filepath.Base(src), err)
	}
	defer in.Close()
	tmp := dst + ".part"
	out, err := os.Create(tmp)
	if err != nil {
		return fmt.Errorf("save to %s: %w", dst, err)
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		os.Remove(tmp)
		return fmt.Errorf("save to %s: %w", dst, err)
	}
	if err := out.Close(); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("save to %s: %w", dst, err)
	}
	return os.Rename(tmp, dst)
}
