package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/config"
)

// Usage mistakes exit 2 and say what was wrong and how the command is
// used; --home works before and after the command's name.
func TestUsage(t *testing.T) {
	home := t.TempDir()
	cases := []struct {
		args []string
		code int
		says []string
	}{
		{nil, 2, []string{"usage: workdiary [--home DIR] COMMAND", "approve", "netcheck"}},
		{[]string{"frobnicate"}, 2, []string{`unknown command "frobnicate"`, "usage: workdiary"}},
		{[]string{"--bogus"}, 2, []string{"flag provided but not defined: -bogus"}},
		{[]string{"--home", home, "id", "--bogus"}, 2, []string{"-bogus", "usage: workdiary id [--json]"}},
		{[]string{"--home", home, "id", "extra"}, 2, []string{`unexpected argument "extra"`, "usage: workdiary id"}},
		{[]string{"--home", home, "init"}, 1, []string{"init needs --name NAME"}},
		{[]string{"--home", home, "approve"}, 1, []string{"approve needs --contract ID"}},
		{[]string{"--home", home, "contract", "offer"}, 1, []string{"contract offer needs --title and --rate"}},
		{[]string{"--home", home, "log"}, 1, []string{"log needs --contract ID"}},
		{[]string{"--home", home, "track", "status", "--contract"}, 2, []string{"flag needs an argument: -contract"}},
	}
	for _, c := range cases {
		r := cli(t, c.args...)
		if r.code != c.code {
			t.Errorf("workdiary %s: exit %d; want %d\n%s", strings.Join(c.args, " "), r.code, c.code, r.stderr)
		}
		for _, s := range c.says {
			if !strings.Contains(r.stderr, s) {
				t.Errorf("workdiary %s: stderr does not say %q:\n%s", strings.Join(c.args, " "), s, r.stderr)
			}
		}
	}
}

// `workdiary --home D id` and `workdiary id --home D` are the same folder.
func TestHomeBeforeOrAfterTheCommand(t *testing.T) {
	home := t.TempDir()
	must(t, "init", "--home", home, "--name", "Ada")
	before, after := must(t, "--home", home, "id", "--json"), must(t, "id", "--home", home, "--json")
	if before != after || !strings.Contains(before, `"name": "Ada"`) {
		t.Fatalf("--home before id:\n%s\nafter id:\n%s\nwant the same identity, Ada", before, after)
	}
}

// A data folder moved to a disk that is not there now: the command says
// where it was and how to choose another, and makes no empty folder.
func TestMovedFolderMissing(t *testing.T) {
	t.Setenv("XDG_CONFIG_HOME", t.TempDir())
	t.Setenv(config.EnvHome, "")
	moved := filepath.Join(t.TempDir(), "unplugged", "workdiary")
	if err := config.Remember(moved); err != nil {
		t.Fatal(err)
	}
	r := cli(t, "id")
	if r.code != 1 || !strings.Contains(r.stderr, moved+" is not there now") || !strings.Contains(r.stderr, "--home or $WORKDIARY_HOME chooses another") {
		t.Errorf("workdiary id with the moved folder missing: exit %d\n%s", r.code, r.stderr)
	}
	if _, err := os.Stat(moved); !os.IsNotExist(err) {
		t.Errorf("the missing folder was made: %v", err)
	}
}
