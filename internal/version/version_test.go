package version

import (
	"runtime/debug"
	"strings"
	"testing"
)

func TestLinkTimeValuesWin(t *testing.T) {
	bi := &debug.BuildInfo{Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "ffffffffffffffffffffffffffffffffffffffff"},
		{Key: "vcs.time", Value: "2020-01-01T00:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	got := resolve("0.1.0", "1a2b3c4d5e6f7a8b", "2026-12-04T23:00:00Z", bi)
	if got.Version != "0.1.0" || got.Commit != "1a2b3c4d5e6f7a8b" || got.Date != "2026-12-04T23:00:00Z" || got.Modified {
		t.Fatalf("resolve = %+v, want the link-time values", got)
	}
	if s := got.String(); !strings.HasPrefix(s, "0.1.0 (commit 1a2b3c4d5e6f, built 2026-12-04T23:00:00Z, ") {
		t.Fatalf("String = %q", s)
	}
}

func TestFallsBackToBuildInfo(t *testing.T) {
	bi := &debug.BuildInfo{Main: debug.Module{Version: "(devel)"}, Settings: []debug.BuildSetting{
		{Key: "vcs.revision", Value: "abcdef0123456789"},
		{Key: "vcs.time", Value: "2026-12-01T10:00:00Z"},
		{Key: "vcs.modified", Value: "true"},
	}}
	got := resolve("", "", "", bi)
	if got.Version != Dev || got.Commit != "abcdef0123456789" || got.Date != "2026-12-01T10:00:00Z" || !got.Modified {
		t.Fatalf("resolve = %+v, want dev with the VCS settings", got)
	}
	if s := got.String(); !strings.HasPrefix(s, "dev (commit abcdef012345+changes, built 2026-12-01T10:00:00Z, ") {
		t.Fatalf("String = %q", s)
	}
}

func TestNothingKnown(t *testing.T) {
	got := resolve("", "", "", nil)
	if got.Version != Dev || got.Commit != "" || got.Date != "" {
		t.Fatalf("resolve = %+v", got)
	}
	if s := got.String(); !strings.HasPrefix(s, "dev (commit unknown, built unknown, ") {
		t.Fatalf("String = %q", s)
	}
}

func TestModuleVersionUsedWhenInstalledByVersion(t *testing.T) {
	got := resolve("", "", "", &debug.BuildInfo{Main: debug.Module{Version: "v0.2.0"}})
	if got.Version != "v0.2.0" {
		t.Fatalf("Version = %q, want the module version go install recorded", got.Version)
	}
}
