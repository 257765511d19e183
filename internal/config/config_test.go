package config_test

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/config"
)

// The flag wins, then the environment, then the place the folder was
// moved to, then the platform's default; remembering the default place
// forgets the move.
func TestHomeResolution(t *testing.T) {
	t.Setenv(config.EnvHome, "/tmp/from-env")
	t.Setenv("XDG_DATA_HOME", "/tmp/xdg")
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	check := func(flag, env, want string) {
		t.Helper()
		t.Setenv(config.EnvHome, env)
		got, err := config.Home(flag)
		if err != nil {
			t.Fatal(err)
		}
		if got != want {
			t.Errorf("Home(%q) with env %q = %q, want %q", flag, env, got, want)
		}
	}
	check("/tmp/from-flag", "/tmp/from-env", "/tmp/from-flag")
	check("", "/tmp/from-env", "/tmp/from-env")
	check("", "", "/tmp/xdg/workdiary")
	moved := filepath.Join(t.TempDir(), "big", "workdiary")
	if err := config.Remember(moved); err != nil {
		t.Fatal(err)
	}
	check("/tmp/from-flag", "/tmp/from-env", "/tmp/from-flag")
	check("", "/tmp/from-env", "/tmp/from-env")
	// Moved to a place that is not there (a disk unplugged): an error
	// saying so, not a new empty folder.
	t.Setenv(config.EnvHome, "")
	if got, err := config.Home(""); !errors.Is(err, config.ErrMovedAway) || !strings.Contains(err.Error(), moved) {
		t.Errorf("Home with the moved folder missing = %q, %v; want ErrMovedAway naming it", got, err)
	}
	if err := os.MkdirAll(moved, 0o700); err != nil {
		t.Fatal(err)
	}
	check("", "", moved)
	if err := config.Remember("/tmp/xdg/workdiary"); err != nil {
		t.Fatal(err)
	}
	check("", "", "/tmp/xdg/workdiary")
	if _, err := os.Stat(filepath.Join(os.Getenv("XDG_CONFIG_HOME"), "workdiary", "location")); !os.IsNotExist(err) {
		t.Errorf("moving back to the default place left the location file (%v)", err)
	}
}

func TestSaveLoadAndDefaults(t *testing.T) {
	dir := t.TempDir()
	c, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := c.Idle(), 10; got != want {
		t.Fatalf("default idle = %d, want %d", got, want)
	}
	c = config.InitDefaults(c)
	if c.ListenPort < 20000 || c.ListenPort >= 60000 {
		t.Fatalf("listen port %d outside 20000..59999", c.ListenPort)
	}
	c.ExcludedApps = []string{"keepassxc"}
	if err := config.Save(dir, c); err != nil {
		t.Fatal(err)
	}
	got, err := config.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	if got.ListenPort != c.ListenPort || len(got.ExcludedApps) != 1 {
		t.Fatalf("Load = %+v, want %+v", got, c)
	}
	if again := config.InitDefaults(got); again.ListenPort != c.ListenPort {
		t.Fatal("InitDefaults changed an existing port")
	}
	if err := os.WriteFile(filepath.Join(dir, "config.json"), []byte("{"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, err := config.Load(dir); err == nil || !strings.Contains(err.Error(), "config.json") {
		t.Fatalf("Load of a broken file: err = %v, want one naming config.json", err)
	}
}
