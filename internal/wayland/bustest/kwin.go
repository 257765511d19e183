//go:build linux

package bustest

import (
	"bufio"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"

	"github.com/godbus/dbus/v5"

	"github.com/workdiary/workdiary/internal/notify/notifytest"
)

//go:embed kwin_harness.js
var harness string

// KWinWindow is a window as a KWin script sees it.
type KWinWindow struct {
	ID              int    `json:"id"`
	ResourceClass   string `json:"resourceClass"`
	DesktopFileName string `json:"desktopFileName"`
	Caption         string `json:"caption"`
}

// KWin is a stand-in for KWin's scripting on the session bus: scripts
// loaded with loadScript run in node when their run method is called, and
// their callDBus calls are made from this connection, the one that owns
// org.kde.KWin, as KWin makes them.
type KWin struct {
	t       testing.TB
	conn    *dbus.Conn
	version string
	harness string

	mu      sync.Mutex
	refuse  bool
	front   *KWinWindow
	scripts map[string]*script // by plugin name
	next    int32
	Loaded  []string // the text of every script loaded, in order
}

type script struct {
	id    int32
	path  string
	stdin io.WriteCloser
	cmd   *exec.Cmd
}

// ServeKWin owns org.kde.KWin on the bus at addr, with the scripting API
// of KWin 6 or, with version "5", KWin 5's. front is the window in front
// when a script starts (nil: none).
func ServeKWin(t testing.TB, addr, version string, front *KWinWindow) *KWin {
	t.Helper()
	if _, err := exec.LookPath("node"); err != nil {
		t.Fatalf("node runs the KWin scripts: %v", err)
	}
	k := &KWin{t: t, conn: notifytest.Conn(t, addr), version: version, front: front, scripts: map[string]*script{},
		harness: filepath.Join(t.TempDir(), "kwin_harness.js")}
	if err := os.WriteFile(k.harness, []byte(harness), 0o600); err != nil {
		t.Fatal(err)
	}
	// KWin's D-Bus methods start in lower case.
	names := map[string]string{"LoadScript": "loadScript", "IsScriptLoaded": "isScriptLoaded", "UnloadScript": "unloadScript", "Start": "start"}
	if err := k.conn.ExportWithMap(scripting{k}, names, "/Scripting", "org.kde.kwin.Scripting"); err != nil {
		t.Fatal(err)
	}
	if r, err := k.conn.RequestName("org.kde.KWin", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own org.kde.KWin: %v %v", r, err)
	}
	t.Cleanup(func() {
		k.mu.Lock()
		defer k.mu.Unlock()
		for _, s := range k.scripts {
			s.stop()
		}
	})
	return k
}

// scripting is org.kde.kwin.Scripting as KWin's src/scripting/scripting.h
// declares it (the methods marked Q_SCRIPTABLE).
type scripting struct{ k *KWin }

// LoadScript reads the script at filePath; -1 when a script of that
// plugin name is loaded, or the stand-in refuses.
func (s scripting) LoadScript(filePath, pluginName string) (int32, *dbus.Error) {
	k := s.k
	k.mu.Lock()
	defer k.mu.Unlock()
	text, err := os.ReadFile(filePath)
	if k.refuse || err != nil || k.scripts[pluginName] != nil {
		return -1, nil
	}
	id := k.next
	k.next++
	k.Loaded = append(k.Loaded, string(text))
	// KWin reads the file again when the script runs; keep what it read.
	kept := filepath.Join(k.t.TempDir(), "script.js")
	os.WriteFile(kept, text, 0o600)
	sc := &script{id: id, path: kept}
	k.scripts[pluginName] = sc
	path := dbus.ObjectPath(fmt.Sprintf("/Scripting/Script%d", id))
	if k.version == "5" {
		path = dbus.ObjectPath(fmt.Sprintf("/%d", id)) // KWin before 5.24
	}
	k.conn.ExportMethodTable(map[string]any{"run": func() *dbus.Error { return k.run(sc) }, "stop": func() *dbus.Error {
		k.mu.Lock()
		defer k.mu.Unlock()
		sc.stop()
		return nil
	}}, path, "org.kde.kwin.Script")
	return id, nil
}

// IsScriptLoaded reports whether a script of that plugin name is loaded.
func (s scripting) IsScriptLoaded(pluginName string) (bool, *dbus.Error) {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	return s.k.scripts[pluginName] != nil, nil
}

// UnloadScript stops and forgets the script.
func (s scripting) UnloadScript(pluginName string) (bool, *dbus.Error) {
	s.k.mu.Lock()
	defer s.k.mu.Unlock()
	sc := s.k.scripts[pluginName]
	if sc == nil {
		return false, nil
	}
	sc.stop()
	delete(s.k.scripts, pluginName)
	return true, nil
}

// Start runs the scripts configured to run (none here).
func (s scripting) Start() *dbus.Error { return nil }

// run starts the script in node and makes its callDBus calls.
func (k *KWin) run(sc *script) *dbus.Error {
	k.mu.Lock()
	defer k.mu.Unlock()
	front, _ := json.Marshal(k.front)
	cmd := exec.Command("node", k.harness, sc.path, k.version, string(front))
	stdin, _ := cmd.StdinPipe()
	out, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		return dbus.MakeFailedError(err)
	}
	sc.cmd, sc.stdin = cmd, stdin
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			var args []any
			if json.Unmarshal(lines.Bytes(), &args) != nil || len(args) < 4 {
				continue
			}
			service, _ := args[0].(string)
			path, _ := args[1].(string)
			iface, _ := args[2].(string)
			method, _ := args[3].(string)
			// KWin sends the call without waiting for its answer.
			k.conn.Object(service, dbus.ObjectPath(path)).Go(iface+"."+method, 0, nil, args[4:]...)
		}
	}()
	return nil
}

func (sc *script) stop() {
	if sc.cmd != nil {
		sc.stdin.Close()
		sc.cmd.Process.Kill()
		sc.cmd.Wait()
		sc.cmd = nil
	}
}

// Activate brings w to the front (nil: the desktop itself).
func (k *KWin) Activate(w *KWinWindow) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.front = w
	k.send(map[string]any{"op": "activate", "window": w})
}

// Retitle changes the caption of window id.
func (k *KWin) Retitle(id int, caption string) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.send(map[string]any{"op": "caption", "id": id, "caption": caption})
}

func (k *KWin) send(cmd any) {
	line, _ := json.Marshal(cmd)
	for _, sc := range k.scripts {
		if sc.stdin != nil {
			sc.stdin.Write(append(line, '\n'))
		}
	}
}

// Refuse makes loadScript fail, as a KWin with scripting switched off.
func (k *KWin) Refuse(refuse bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	k.refuse = refuse
}

// Scripts is how many scripts are loaded.
func (k *KWin) Scripts() int {
	k.mu.Lock()
	defer k.mu.Unlock()
	return len(k.scripts)
}

// Quit gives up org.kde.KWin, as a KWin that ends or restarts.
func (k *KWin) Quit() { k.conn.ReleaseName("org.kde.KWin") }
