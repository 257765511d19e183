package autostart

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestEnableDisable(t *testing.T) {
	cfg := t.TempDir()
	t.Setenv("XDG_CONFIG_HOME", cfg)
	args := []string{"/opt/Work Diary/workdiary", "--home", "/home/a/100%", "agent"}
	if err := Enable(args); err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(cfg, "autostart", "workdiary.desktop")
	b, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	want := `Exec="/opt/Work Diary/workdiary" --home /home/a/100%% agent`
	if !strings.Contains(string(b), want+"\n") {
		t.Fatalf("entry:\n%s\nwant the line %s", b, want)
	}
	if !Enabled() {
		t.Fatal("Enabled() = false after Enable")
	}
	if err := Disable(); err != nil {
		t.Fatal(err)
	}
	if Enabled() {
		t.Fatal("Enabled() = true after Disable")
	}
	if err := Disable(); err != nil {
		t.Fatalf("second Disable: %v", err)
	}
}

func TestQuote(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"plain", "plain"},
		{"a b", `"a b"`},
		{`a"b`, `"a\"b"`},
		{"$HOME", `"\$HOME"`},
		{`back\slash`, `"back\\slash"`},
		{"", `""`},
	} {
		if got := quote(c.in); got != c.want {
			t.Errorf("quote(%q) = %s, want %s", c.in, got, c.want)
		}
	}
}
