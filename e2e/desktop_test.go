//go:build e2e

package e2e

import (
	"encoding/json"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// The desktop app in a real WebKitGTK window: it comes up titled
// "Workdiary", renders something, answers the CLI through its control
// socket, refuses a second owner, and hands the folder back when it exits.
func TestDesktopApp(t *testing.T) {
	display := requireDisplay(t)
	home := t.TempDir()
	onDisplay := []string{"DISPLAY=" + display}
	app := startProc(t, onDisplay, binary(t, "workdiary-app"), "--home", home)

	win := waitForWindow(t, "^Workdiary$", 60*time.Second)
	time.Sleep(2 * time.Second) // let the page paint
	shot := filepath.Join(outDir(t), "desktop-onboarding.png")
	if out, err := exec.Command("import", "-window", win, shot).CombinedOutput(); err != nil {
		t.Fatalf("screenshot of window %s: %v: %s", win, err, out)
	}
	if n := distinctColours(t, shot); n < 8 {
		t.Fatalf("the window's screenshot has %d colours: it looks blank (%s)", n, shot)
	}

	// The CLI creates the identity through the running app, then reads it.
	cli(t, home, "init", "--name", "Grace Hopper")
	id := readID(t, home)
	if !strings.HasPrefix(id.PeerID, "12D3KooW") || !strings.HasPrefix(id.SSHPublicKey, "ssh-ed25519 ") {
		t.Fatalf("id through the app = %+v", id)
	}

	second := exec.Command(binary(t, "workdiary-app"), "--home", home)
	second.Env = append(os.Environ(), onDisplay...)
	out, err := second.CombinedOutput()
	if err == nil || !strings.Contains(string(out), "already runs") {
		t.Fatalf("second app on the same folder: err = %v, output %q; want a refusal saying the app already runs", err, out)
	}

	app.stop(t, 15*time.Second)
	if after := readID(t, home); after.PeerID != id.PeerID {
		t.Fatalf("after the app exited, id = %s; want %s", after.PeerID, id.PeerID)
	}
}

// The CLI contract of the foundation: init, id, refuse to overwrite.
func TestCLIIdentity(t *testing.T) {
	home := t.TempDir()
	cli(t, home, "init", "--name", "Ada")
	key := filepath.Join(home, "identity.key")
	before, err := os.ReadFile(key)
	if err != nil {
		t.Fatal(err)
	}
	st, _ := os.Stat(key)
	if st.Mode().Perm() != 0o600 {
		t.Fatalf("identity.key mode %o, want 600", st.Mode().Perm())
	}
	out, err := workdiaryCommand(t, home, "init", "--name", "Eve").CombinedOutput()
	if err == nil || !strings.Contains(string(out), "already exists") {
		t.Fatalf("second init: err = %v, output %q; want a clear refusal", err, out)
	}
	afterKey, _ := os.ReadFile(key)
	if string(afterKey) != string(before) {
		t.Fatal("second init changed the key")
	}
	var id map[string]any
	if err := json.Unmarshal([]byte(cli(t, home, "id", "--json")), &id); err != nil {
		t.Fatal(err)
	}
	for _, field := range []string{"peer_id", "fingerprint", "addrs", "ssh_public_key"} {
		if _, ok := id[field]; !ok {
			t.Errorf("id --json lacks %q: %v", field, id)
		}
	}
}

func distinctColours(t *testing.T, path string) int {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[[3]uint32]bool{}
	b := img.Bounds()
	for y := b.Min.Y; y < b.Max.Y; y += 2 {
		for x := b.Min.X; x < b.Max.X; x += 2 {
			r, g, bl, _ := img.At(x, y).RGBA()
			seen[[3]uint32{r >> 8, g >> 8, bl >> 8}] = true
		}
	}
	return len(seen)
}
