package autostart

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// FileName is the entry's name in the autostart folder.
const FileName = "workdiary.desktop"

// Path is where the entry lives: $XDG_CONFIG_HOME/autostart, else
// ~/.config/autostart.
func Path() (string, error) {
	dir := os.Getenv("XDG_CONFIG_HOME")
	if dir == "" || !filepath.IsAbs(dir) {
		home, err := os.UserHomeDir()
		if err != nil {
			return "", fmt.Errorf("autostart folder: %w", err)
		}
		dir = filepath.Join(home, ".config")
	}
	return filepath.Join(dir, "autostart", FileName), nil
}

// Entry is the desktop entry that runs args at login: the agent, which
// owns the data folder and shows the tray, and never starts tracking.
func Entry(args []string) string {
	quoted := make([]string, len(args))
	for i, a := range args {
		quoted[i] = quote(a)
	}
	return "[Desktop Entry]\n" +
		"Type=Application\n" +
		"Name=Workdiary\n" +
		"Comment=Keeps Workdiary's diary and sync running, with its tray icon; does not start tracking\n" +
		"Exec=" + strings.Join(quoted, " ") + "\n" +
		"Icon=workdiary\n" +
		"Terminal=false\n" +
		"NoDisplay=true\n" +
		"X-GNOME-Autostart-enabled=true\n"
}

// Enable writes the entry (atomically), replacing any older one.
func Enable(args []string) error {
	p, err := Path()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return fmt.Errorf("autostart folder: %w", err)
	}
	want := Entry(args)
	if old, err := os.ReadFile(p); err == nil && string(old) == want {
		return nil
	}
	tmp := p + ".tmp"
	if err := os.WriteFile(tmp, []byte(want), 0o644); err != nil {
		return fmt.Errorf("write autostart entry: %w", err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("write autostart entry: %w", err)
	}
	return nil
}

// Disable removes the entry; a missing one is not an error.
func Disable() error {
	p, err := Path()
	if err != nil {
		return err
	}
	if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return fmt.Errorf("remove autostart entry: %w", err)
	}
	return nil
}

// Enabled reports whether the entry exists.
func Enabled() bool {
	p, err := Path()
	if err != nil {
		return false
	}
	_, err = os.Stat(p)
	return err == nil
}

// quote quotes an Exec argument as the Desktop Entry Specification asks:
// inside double quotes, backslash before `"`, "`", "$" and "\"; and "%"
// doubled, since field codes start with it.
func quote(a string) string {
	a = strings.ReplaceAll(a, "%", "%%")
	if a != "" && !strings.ContainsAny(a, " \t\n\"'\\><~|&;$*?#()`=") {
		return a
	}
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "`", "\\`", `$`, `\$`)
	return `"` + r.Replace(a) + `"`
}
