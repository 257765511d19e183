//go:build e2e && wine

package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The Windows command line under Wine (`make test-windows`): it makes a
// timesheet bundle end to end that the Linux build verifies, and verifies
// one the Linux build made. Wine has no AF_UNIX sockets, so these commands
// run without an owner, each opening the folder itself. Recording is
// TestWindowsTrackUnderWine's; the desktop app is not run under Wine.
func TestWindowsCLIUnderWine(t *testing.T) {
	wine := winePrefix(t)
	exe := buildWindows(t, t.TempDir(), "workdiary.exe", "./cmd/workdiary")
	windows := func(home string, args ...string) string {
		t.Helper()
		full := []string{exe, "--home", winPath(home)}
		for _, a := range args {
			if filepath.IsAbs(a) {
				a = winPath(a)
			}
			full = append(full, a)
		}
		cmd := exec.Command("wine", full...)
		cmd.Env = append(os.Environ(), wine...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("wine workdiary.exe %s: %v: %s", strings.Join(args, " "), err, stderrOf(err))
		}
		return strings.ReplaceAll(string(out), "\r\n", "\n")
	}
	linux := func(home string, args ...string) string { t.Helper(); return cli(t, home, args...) }

	dir := t.TempDir()
	fromWindows := offlineBundle(t, windows, filepath.Join(dir, "w-emp"), filepath.Join(dir, "w-con"),
		filepath.Join(dir, "w-out"), filepath.Join(dir, "w.log"))
	mustMention(t, "Linux verify of the Windows bundle", cli(t, t.TempDir(), "verify", fromWindows), "valid")

	fromLinux := offlineBundle(t, linux, filepath.Join(dir, "l-emp"), filepath.Join(dir, "l-con"),
		filepath.Join(dir, "l-out"), filepath.Join(dir, "l.log"))
	mustMention(t, "Windows verify of the Linux bundle", windows(t.TempDir(), "verify", fromLinux), "valid")
}

// winePrefix makes a Wine prefix under build/e2e-out (once; later runs
// reuse it) with the ProcessPrng stand-in Go programs need on Wine 8, and
// returns the environment that selects it.
func winePrefix(t *testing.T) []string {
	t.Helper()
	for _, tool := range []string{"wine", "x86_64-w64-mingw32-gcc"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("%s is missing: run scripts/setup.sh (make test-windows does)", tool)
		}
	}
	prefix := filepath.Join(outDir(t), "wine")
	env := []string{"WINEPREFIX=" + prefix, "WINEDEBUG=-all", "WINEDLLOVERRIDES=mscoree,mshtml="}
	sys32 := filepath.Join(prefix, "drive_c", "windows", "system32")
	if _, err := os.Stat(filepath.Join(sys32, "kernel32.dll")); err != nil {
		boot := exec.Command("wineboot", "-i")
		boot.Env = append(os.Environ(), env...)
		if out, err := boot.CombinedOutput(); err != nil {
			t.Fatalf("wineboot -i: %v\n%s", err, out)
		}
	}
	dll := filepath.Join(sys32, "bcryptprimitives.dll")
	if _, err := os.Stat(dll); err != nil {
		src := filepath.Join(repoRoot(t), "e2e", "testdata", "wine", "bcryptprimitives.c")
		if out, err := exec.Command("x86_64-w64-mingw32-gcc", "-O2", "-shared", "-o", dll, src, "-ladvapi32").CombinedOutput(); err != nil {
			t.Fatalf("build the ProcessPrng stand-in: %v\n%s", err, out)
		}
	}
	return env
}

// winPath is a Linux path as Wine's programs see it: drive Z: is /.
func winPath(p string) string { return `Z:` + strings.ReplaceAll(p, "/", `\`) }

// Without --home or WORKDIARY_HOME the Windows build keeps its data in
// %LOCALAPPDATA%\workdiary, which Wine puts in the prefix's user profile.
func TestWindowsDataFolderUnderWine(t *testing.T) {
	wine := winePrefix(t)
	exe := buildWindows(t, t.TempDir(), "workdiary.exe", "./cmd/workdiary")
	profiles := filepath.Join(outDir(t), "wine", "drive_c", "users") // winePrefix's
	clean := func() {
		found, _ := filepath.Glob(filepath.Join(profiles, "*", "AppData", "Local", "workdiary"))
		for _, d := range found {
			_ = os.RemoveAll(d)
		}
	}
	clean()
	t.Cleanup(clean)
	cmd := exec.Command("wine", exe, "init", "--name", "Local")
	cmd.Env = append(os.Environ(), append(wine, "WORKDIARY_HOME=")...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wine workdiary.exe init: %v\n%s", err, out)
	}
	found, _ := filepath.Glob(filepath.Join(profiles, "*", "AppData", "Local", "workdiary", "*"))
	if len(found) == 0 {
		t.Fatalf("init made no data folder under %s/*/AppData/Local/workdiary", profiles)
	}
}
