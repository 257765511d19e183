package main

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// `autostart` shows the setting, `autostart on|off` sets it and writes or
// removes the login entry at once; anything else is a usage mistake. The
// JSON keeps its field names.
func TestAutostartCommand(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	home := t.TempDir()
	must(t, "--home", home, "init", "--name", "Ada")
	entry := filepath.Join(cfg, "autostart", "workdiary.desktop")

	if r := cli(t, "--home", home, "autostart", "sometimes"); r.code != 2 || !strings.Contains(r.stderr, `autostart takes on or off, not "sometimes"`) {
		t.Errorf("autostart sometimes: exit %d, stderr %q; want a usage mistake", r.code, r.stderr)
	}
	if out := must(t, "--home", home, "autostart"); out != "Autostart at login is off (the default: on once a contract is accepted).\n" {
		t.Errorf("autostart before any contract: %q", out)
	}
	got := keys(t, "autostart --json", must(t, "--home", home, "autostart", "--json"))
	for _, k := range []string{"autostart", "autostart_set", "notifications"} {
		if !slices.Contains(got, k) {
			t.Errorf("autostart --json: fields %v; want %q among them", got, k)
		}
	}

	if out := must(t, "--home", home, "autostart", "on"); out != "Autostart at login is on.\n" {
		t.Errorf("autostart on: %q", out)
	}
	b, err := os.ReadFile(entry)
	if err != nil || !strings.Contains(string(b), home) || !strings.Contains(string(b), "agent") {
		t.Fatalf("the login entry after autostart on: %q %v; want it to run the agent on %s", b, err, home)
	}
	if out := must(t, "--home", home, "autostart", "off"); out != "Autostart at login is off.\n" {
		t.Errorf("autostart off: %q", out)
	}
	if _, err := os.Stat(entry); !os.IsNotExist(err) {
		t.Errorf("the login entry after autostart off: %v; want it removed", err)
	}
}
