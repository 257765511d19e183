//go:build linux && cgo

package capture

import (
	"slices"
	"strings"
	"testing"

	"github.com/workdiary/workdiary/internal/displaytest"
)

// The apps with a window on the display are listed once each, by the
// executable's name with their WM_CLASS, for picking one to exclude.
func TestRunningAppsListsOpenWindows(t *testing.T) {
	exe := displaytest.Renamed(t, t.TempDir(), "/usr/bin/xterm", "wd-apps-test")
	openWindow(t, exe, "-T", "one", "-e", "sleep", "60")
	openWindow(t, exe, "-T", "two", "-e", "sleep", "60")
	apps, err := RunningApps()
	if err != nil {
		t.Fatal(err)
	}
	i := slices.IndexFunc(apps, func(a App) bool { return a.Name == "wd-apps-test" })
	if i < 0 {
		t.Fatalf("RunningApps() = %+v, want wd-apps-test among them", apps)
	}
	if apps[i].Class != "XTerm" {
		t.Errorf("wd-apps-test's class %q, want XTerm", apps[i].Class)
	}
	if n := len(slices.DeleteFunc(slices.Clone(apps), func(a App) bool { return a.Name != "wd-apps-test" })); n != 1 {
		t.Errorf("wd-apps-test listed %d times, want once", n)
	}
	if !slices.IsSortedFunc(apps, func(a, b App) int { return strings.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name)) }) {
		t.Errorf("RunningApps() not sorted by name: %+v", apps)
	}
}
