//go:build e2e && linux

package e2e

import (
	"bufio"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

const (
	desktopEntry = "/usr/share/applications/io.github.workdiary.Workdiary.desktop"
	installedCLI = "/usr/bin/workdiary"
)

// The .deb as a user gets it: apt installs it with its dependencies, the
// desktop entry starts the app and its window appears, the installed
// command line makes and verifies a real timesheet bundle, and a purge
// leaves nothing of the package behind (the user's data folder stays).
func TestDebPackage(t *testing.T) {
	display := requireDisplay(t)
	deb := debPackage(t)
	t.Cleanup(func() {
		_ = asRoot("apt-get", "remove", "--purge", "-y", "-o", "DPkg::Lock::Timeout=300", "workdiary").Run()
	})
	rootRun(t, "apt-get", "install", "-y", "-o", "DPkg::Lock::Timeout=300", deb)
	files := packageFiles(t)

	run(t, "desktop-file-validate", desktopEntry)
	for _, want := range []string{installedCLI, "/usr/bin/workdiary-app", "/usr/bin/workdiary-input", desktopEntry,
		"/usr/share/metainfo/io.github.workdiary.Workdiary.metainfo.xml", "/usr/share/icons/hicolor/256x256/apps/workdiary.png",
		"/usr/share/icons/hicolor/scalable/apps/workdiary.svg"} {
		if !files[want] {
			t.Errorf("the package does not install %s", want)
		}
	}
	checkInstalledVersion(t, deb)

	// The app, started the way a desktop starts it.
	home := t.TempDir()
	entry := readDesktopEntry(t)
	exe, args := desktopExec(t, entry["Exec"])
	app := startProc(t, []string{"DISPLAY=" + display, "WORKDIARY_HOME=" + home}, exe, args...)
	waitForWindow(t, "^Workdiary$", 60*time.Second)
	// The desktop ties the window to its entry (icon, name) by this class.
	class := entry["StartupWMClass"]
	if out, err := exec.Command("xdotool", "search", "--onlyvisible", "--class", "^"+class+"$").Output(); class == "" || err != nil || len(strings.Fields(string(out))) == 0 {
		t.Errorf("no window of class %q, which the desktop entry's StartupWMClass names: %v", class, err)
	}
	app.stop(t, 15*time.Second)

	installed := func(h string, args ...string) string {
		t.Helper()
		cmd := exec.Command(installedCLI, append([]string{"--home", h}, args...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("installed workdiary %s: %v: %s", strings.Join(args, " "), err, stderrOf(err))
		}
		return string(out)
	}
	dir := t.TempDir()
	offlineBundle(t, installed, filepath.Join(dir, "emp"), filepath.Join(dir, "con"), filepath.Join(dir, "out"), filepath.Join(dir, "log.wdlog"))

	rootRun(t, "apt-get", "remove", "--purge", "-y", "-o", "DPkg::Lock::Timeout=300", "workdiary")
	if out, err := exec.Command("dpkg-query", "-W", "-f=${Status}", "workdiary").Output(); err == nil && strings.Contains(string(out), "installed") && !strings.Contains(string(out), "not-installed") {
		t.Fatalf("after the purge dpkg still knows workdiary: %s", out)
	}
	for path := range files {
		checkRemoved(t, path)
	}
	if _, err := os.Stat(home); err != nil {
		t.Errorf("the purge touched the user's data folder %s: %v", home, err)
	}
}

// debPackage is the .deb `make package` left in build/dist, or one built
// now from build/bin.
func debPackage(t *testing.T) string {
	t.Helper()
	dist := filepath.Join(repoRoot(t), "build", "dist")
	if debs, _ := filepath.Glob(filepath.Join(dist, "workdiary_*_amd64.deb")); len(debs) == 1 {
		return debs[0]
	}
	binary(t, "workdiary-app")
	cmd := exec.Command(filepath.Join(repoRoot(t), "scripts", "package.sh"))
	cmd.Env = append(os.Environ(), "VERSION=0.0.0~e2e")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("scripts/package.sh: %v\n%s", err, out)
	}
	debs, _ := filepath.Glob(filepath.Join(dist, "workdiary_*_amd64.deb"))
	if len(debs) != 1 {
		t.Fatalf("scripts/package.sh left %v in %s, want one .deb", debs, dist)
	}
	return debs[0]
}

// asRoot is the command as root: directly when the tests run as root (as
// CI does), else through sudo, which must not ask for a password.
func asRoot(name string, args ...string) *exec.Cmd {
	if os.Geteuid() == 0 {
		return exec.Command(name, args...)
	}
	return exec.Command("sudo", append([]string{"-n", name}, args...)...)
}

func rootRun(t *testing.T, name string, args ...string) {
	t.Helper()
	cmd := asRoot(name, args...)
	cmd.Env = append(os.Environ(), "DEBIAN_FRONTEND=noninteractive")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
	}
}

// packageFiles is what dpkg says the installed package put on the disk.
func packageFiles(t *testing.T) map[string]bool {
	t.Helper()
	out, err := exec.Command("dpkg", "-L", "workdiary").Output()
	if err != nil {
		t.Fatalf("dpkg -L workdiary: %v", err)
	}
	files := map[string]bool{}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		if line != "" && line != "/." {
			files[line] = true
		}
	}
	return files
}

// checkInstalledVersion: the installed CLI answers --version, and a build
// given a version (make package) says the package's.
func checkInstalledVersion(t *testing.T, deb string) {
	t.Helper()
	pkg, err := exec.Command("dpkg-deb", "-f", deb, "Version").Output()
	if err != nil {
		t.Fatalf("dpkg-deb -f %s Version: %v", deb, err)
	}
	out, err := exec.Command(installedCLI, "--version").Output()
	if err != nil || !strings.HasPrefix(string(out), "workdiary ") {
		t.Fatalf("%s --version: %q, %v", installedCLI, out, err)
	}
	v := strings.Fields(string(out))[1]
	if want := strings.TrimSpace(string(pkg)); v != "dev" && v != want {
		t.Errorf("the installed workdiary says version %s, the package is %s", v, want)
	}
}

// readDesktopEntry is the installed desktop entry's keys.
func readDesktopEntry(t *testing.T) map[string]string {
	t.Helper()
	f, err := os.Open(desktopEntry)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	entry := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			entry[k] = v
		}
	}
	return entry
}

// desktopExec is an Exec line without its field codes, with its program
// found on PATH as a desktop finds it.
func desktopExec(t *testing.T, line string) (string, []string) {
	t.Helper()
	var fields []string
	for _, w := range strings.Fields(line) {
		if !strings.HasPrefix(w, "%") {
			fields = append(fields, w)
		}
	}
	if len(fields) == 0 {
		t.Fatalf("%s has no Exec line", desktopEntry)
	}
	exe, err := exec.LookPath(fields[0])
	if err != nil {
		t.Fatalf("the desktop entry runs %q, which is not on PATH: %v", fields[0], err)
	}
	return exe, fields[1:]
}

// checkRemoved fails if a file of the purged package is still there. A
// folder may stay only while something else fills it (/usr/bin) or another
// package owns it too (the icon theme's size folders).
func checkRemoved(t *testing.T, path string) {
	t.Helper()
	fi, err := os.Lstat(path)
	if os.IsNotExist(err) {
		return
	}
	if err != nil {
		t.Errorf("after the purge: %v", err)
		return
	}
	if !fi.IsDir() {
		t.Errorf("after the purge %s is still there", path)
		return
	}
	if entries, _ := os.ReadDir(path); len(entries) == 0 && exec.Command("dpkg", "-S", path).Run() != nil {
		t.Errorf("after the purge the empty folder %s is still there", path)
	}
}

func stderrOf(err error) string {
	if ee, ok := err.(*exec.ExitError); ok {
		return strings.TrimSpace(string(ee.Stderr))
	}
	return ""
}
