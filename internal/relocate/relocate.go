package relocate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// Refusals: the folder stays where it is and nothing was written.
var (
	// ErrInside: the target is the folder itself or inside it.
	ErrInside = errors.New("the new place is inside the data folder")
	// ErrNotEmpty: the target exists and holds something.
	ErrNotEmpty = errors.New("the new place is not an empty folder")
	// ErrNoSpace: the target's disk has no room for a copy.
	ErrNoSpace = errors.New("not enough free space")
	// ErrNotFolder: the target exists and is not a folder.
	ErrNotFolder = errors.New("the new place is a file, not a folder")
)

// ErrOldLeft: the folder was copied and verified, and is complete in its
// new place, but the old copy could not be removed.
var ErrOldLeft = errors.New("the old folder could not be removed")

// Plan is a checked move: where from and to, and whether it copies.
type Plan struct {
	From, To string
	// Copy: the target is on another file system, so the folder is
	// copied, verified and then removed rather than renamed.
	Copy bool
	// Bytes the folder holds (what a copy writes).
	Bytes int64
}

// Mover moves folders; the zero value is the real one. Its hooks stand in
// for the disk in tests of the failure paths.
type Mover struct {
	// FreeSpace reports the bytes free on the file system holding dir
	// (ok false: unknown, and the copy is tried).
	FreeSpace func(dir string) (free int64, ok bool)
	// Rename is os.Rename; a failure with EXDEV makes the move a copy.
	Rename func(from, to string) error
	// sameFS reports whether a rename from a to b can work (tests make
	// a move on one disk a copy).
	sameFS func(a, b string) bool
	// afterCopy runs between the copy and its verification (tests
	// corrupt a copy here).
	afterCopy func(to string)
}

// Check says whether from can move to to, and how, without changing
// anything. Both are made absolute and cleaned.
func (m Mover) Check(from, to string) (Plan, error) {
	from, err := abs(from)
	if err != nil {
		return Plan{}, err
	}
	if to, err = abs(to); err != nil {
		return Plan{}, err
	}
	p := Plan{From: from, To: to}
	if st, err := os.Stat(from); err != nil || !st.IsDir() {
		return p, fmt.Errorf("data folder %s: %w", from, errOr(err, ErrNotFolder))
	}
	if inside(to, from) {
		return p, fmt.Errorf("%s: %w %s", to, ErrInside, from)
	}
	switch st, err := os.Stat(to); {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return p, fmt.Errorf("new place %s: %w", to, err)
	case !st.IsDir():
		return p, fmt.Errorf("%s: %w", to, ErrNotFolder)
	default:
		entries, err := os.ReadDir(to)
		if err != nil {
			return p, fmt.Errorf("new place %s: %w", to, err)
		}
		if len(entries) > 0 {
			return p, fmt.Errorf("%s: %w", to, ErrNotEmpty)
		}
	}
	existing := nearestExisting(filepath.Dir(to))
	same := m.sameFS
	if same == nil {
		same = sameDevice
	}
	p.Copy = !same(from, existing)
	if p.Bytes, err = size(from); err != nil {
		return p, err
	}
	if p.Copy {
		free := m.FreeSpace
		if free == nil {
			free = freeSpace
		}
		// A margin for the file system's own blocks and what arrives
		// meanwhile.
		if n, ok := free(existing); ok && n < p.Bytes+p.Bytes/20+1<<20 {
			return p, fmt.Errorf("%w on %s for the data folder: %s needed, %s free", ErrNoSpace, existing, human(p.Bytes), human(n))
		}
	}
	return p, nil
}

// Move moves the closed folder from to to: a rename on the same file
// system, else a copy that is synced and verified byte for byte before the
// old folder is removed. On any error the folder is left where it was,
// complete, and whatever the copy wrote is removed.
func (m Mover) Move(from, to string) (Plan, error) {
	p, err := m.Check(from, to)
	if err != nil {
		return p, err
	}
	if err := os.MkdirAll(filepath.Dir(p.To), 0o700); err != nil {
		return p, fmt.Errorf("create %s: %w", filepath.Dir(p.To), err)
	}
	if !p.Copy {
		rename := m.Rename
		if rename == nil {
			rename = os.Rename
		}
		err := rename(p.From, p.To)
		if err == nil {
			return p, syncDir(filepath.Dir(p.To))
		}
		if !crossDevice(err) {
			return p, fmt.Errorf("move %s to %s: %w", p.From, p.To, err)
		}
		p.Copy = true
	}
	return p, m.copyMove(p)
}

// copyMove copies, verifies and then removes the original.
func (m Mover) copyMove(p Plan) error {
	created := false
	if _, err := os.Stat(p.To); errors.Is(err, fs.ErrNotExist) {
		created = true
	}
	undo := func(cause error) error {
		if created {
			_ = os.RemoveAll(p.To)
		} else if entries, err := os.ReadDir(p.To); err == nil {
			for _, e := range entries {
				_ = os.RemoveAll(filepath.Join(p.To, e.Name()))
			}
		}
		return cause
	}
	files, err := copyTree(p.From, p.To)
	if err != nil {
		return undo(fmt.Errorf("copy %s to %s: %w", p.From, p.To, err))
	}
	if m.afterCopy != nil {
		m.afterCopy(p.To)
	}
	if err := verify(p.From, p.To, files); err != nil {
		return undo(fmt.Errorf("check the copy in %s: %w", p.To, err))
	}
	if err := os.RemoveAll(p.From); err != nil {
		// Everything is in the new place, checked; what remains of the
		// old one is a leftover, not the data.
		return fmt.Errorf("the data folder was copied to %s, but %w (%s): %w", p.To, ErrOldLeft, p.From, err)
	}
	return nil
}

func abs(dir string) (string, error) {
	if strings.TrimSpace(dir) == "" {
		return "", errors.New("no folder given")
	}
	a, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("folder %q: %w", dir, err)
	}
	return filepath.Clean(a), nil
}

// inside reports whether dir is parent or under it, following symlinks
// of the part that exists.
func inside(dir, parent string) bool {
	real := func(p string) string {
		e := nearestExisting(p)
		r, err := filepath.EvalSymlinks(e)
		if err != nil {
			return p
		}
		rest, _ := filepath.Rel(e, p)
		return filepath.Join(r, rest)
	}
	d, pr := real(dir), real(parent)
	rel, err := filepath.Rel(pr, d)
	return err == nil && (rel == "." || !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && rel != "..")
}

// nearestExisting is dir or its closest ancestor that exists.
func nearestExisting(dir string) string {
	for {
		if _, err := os.Stat(dir); err == nil {
			return dir
		}
		up := filepath.Dir(dir)
		if up == dir {
			return dir
		}
		dir = up
	}
}

func errOr(err, or error) error {
	if err != nil {
		return err
	}
	return or
}

func size(dir string) (int64, error) {
	var n int64
	err := filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			n += info.Size()
		}
		return nil
	})
	if err != nil {
		return 0, fmt.Errorf("measure %s: %w", dir, err)
	}
	return n, nil
}

func human(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	default:
		return fmt.Sprintf("%d kB", n>>10)
	}
}
