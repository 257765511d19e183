package main

import (
	"strings"
	"testing"
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
