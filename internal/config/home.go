package config

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime"
)

// EnvHome names the environment variable that overrides the data folder.
const EnvHome = "WORKDIARY_HOME"

// Home resolves the data folder: the --home flag if given, else
// $WORKDIARY_HOME, else the platform's user data folder + "workdiary".
// The result is absolute so that messages and the control socket name one
// place no matter where a command was started.
func Home(flag string) (string, error) {
	dir := flag
	if dir == "" {
		dir = os.Getenv(EnvHome)
	}
	if dir == "" {
		base, err := userDataDir()
		if err != nil {
			return "", fmt.Errorf("find the user data folder: %w (set %s or --home)", err, EnvHome)
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
