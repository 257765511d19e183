package main

import (
	"bytes"
	"context"
	"encoding/json"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/version"
)

// --version and `version` need no data folder: they work on a machine where
// nothing was initialised yet.
func TestVersionNeedsNoDataFolder(t *testing.T) {
	t.Setenv("WORKDIARY_HOME", t.TempDir()+"/never-created")
	for _, args := range [][]string{{"--version"}, {"version"}} {
		var out, errOut bytes.Buffer
		if err := run(context.Background(), args, &out, &errOut); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errOut.String())
		}
		want := "workdiary " + version.Get().String() + "\n"
		if out.String() != want {
			t.Fatalf("%v printed %q, want %q", args, out.String(), want)
		}
	}
	var out, errOut bytes.Buffer
	if err := run(context.Background(), []string{"version", "--json"}, &out, &errOut); err != nil {
		t.Fatalf("version --json: %v (%s)", err, errOut.String())
	}
	var got version.Info
	if err := json.Unmarshal(out.Bytes(), &got); err != nil {
		t.Fatalf("version --json printed %q: %v", out.String(), err)
	}
	if got.Version == "" || !strings.Contains(got.Platform, "/") {
		t.Fatalf("version --json = %+v", got)
	}
}
