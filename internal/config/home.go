package config

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// EnvHome names the environment variable that overrides the data folder.
const EnvHome = "WORKDIARY_HOME"

// ErrMovedAway: the data folder was moved to a place that is not there.
var ErrMovedAway = errors.New("the data folder was moved")

// ErrNoDataFolder: the system names no user data folder and nothing
// else chose one.
var ErrNoDataFolder = errors.New("no user data folder")

// Home resolves the data folder: the --home flag if given, else
// $WORKDIARY_HOME, else the place the folder was last moved to (Remember),
// else the platform's user data folder + "workdiary".
// The result is absolute so that messages and the control socket name one
// place no matter where a command was started.
func Home(flag string) (string, error) {
	dir := flag
	if dir == "" {
		dir = os.Getenv(EnvHome)
	}
	if dir == "" {
		if dir = remembered(); dir != "" {
			// A folder moved to a disk that is not there now (unplugged,
			// not mounted) is not silently replaced by an empty one.
			if _, err := os.Stat(dir); os.IsNotExist(err) {
				return "", fmt.Errorf("%w: %s is not there now (is its disk connected?)", ErrMovedAway, dir)
			}
		}
	}
	if dir == "" {
		base, err := userDataDir()
		if err != nil {
			return "", fmt.Errorf("%w: %w", ErrNoDataFolder, err)
		}
		dir = filepath.Join(base, "workdiary")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("data folder %q: %w", dir, err)
	}
	return abs, nil
}

// userDataDir follows each platform's convention for application data:
// XDG_DATA_HOME (~/.local/share) on Linux and BSDs, Application Support on
// macOS, %LocalAppData% on Windows.
func userDataDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LocalAppData"); d != "" {
			return d, nil
		}
		return os.UserConfigDir()
	case "darwin":
		h, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(h, "Library", "Application Support"), nil
	default:
		if d := os.Getenv("XDG_DATA_HOME"); d != "" {
			return d, nil
		}
		h, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(h, ".local", "share"), nil
	}
}

// EnsureHome creates the data folder with owner-only permissions.
func EnsureHome(dir string) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return fmt.Errorf("create data folder %s: %w", dir, err)
	}
	return nil
}

// ChosenBy says what named the data folder Home(flag) resolves: "--home",
// EnvHome, or "" when it was found (moved, or the default place). A folder
// a flag or the environment names is not found again after a move
// unless they change too.
func ChosenBy(flag string) string {
	switch {
	case flag != "":
		return "--home"
	case os.Getenv(EnvHome) != "":
		return EnvHome
	}
	return ""
}

// locationFile is where the data folder's place is kept once it has been
// moved: outside the folder, in the user's configuration folder
// (~/.config/workdiary/location on Linux), so that the app, the agent and
// the command line started without --home all find it.
func locationFile() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", err
	}
	return filepath.Join(dir, "workdiary", "location"), nil
}

// remembered is the place Remember kept, or "" when there is none.
func remembered() string {
	p, err := locationFile()
	if err != nil {
		return ""
	}
	b, err := os.ReadFile(p)
	if err != nil {
		return ""
	}
	dir := strings.TrimSpace(string(b))
	if !filepath.IsAbs(dir) {
		return ""
	}
	return dir
}

// Remember makes dir the data folder found without --home or
// $WORKDIARY_HOME. The default place is remembered by forgetting.
func Remember(dir string) error {
	p, err := locationFile()
	if err != nil {
		return fmt.Errorf("remember the data folder: %w", err)
	}
	if base, err := userDataDir(); err == nil && filepath.Join(base, "workdiary") == dir {
		if err := os.Remove(p); err != nil && !os.IsNotExist(err) {
			return fmt.Errorf("forget the moved data folder: %w", err)
		}
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return fmt.Errorf("remember the data folder: %w", err)
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, []byte(dir+"\n"), 0o600); err != nil {
		return fmt.Errorf("remember the data folder: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("remember the data folder: %w", err)
	}
	return nil
}
