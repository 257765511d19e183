package wayland

import (
	_ "embed"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/godbus/dbus/v5"
)

// KWin's scripting on the session bus (KWin's src/scripting/scripting.h,
// org.kde.kwin.Scripting, and org.kde.kwin.Script.xml), and the object
// this process exports for the script to call back.
const (
	kwinName       = "org.kde.KWin"
	kwinScripting  = "/Scripting"
	kwinScriptsIfc = "org.kde.kwin.Scripting"
	kwinScriptIfc  = "org.kde.kwin.Script"
	frontPath      = "/org/workdiary/FrontWindow"
	frontIface     = "org.workdiary.FrontWindow"
	// firstReport is how long KWin has to run the script and report:
	// it reports the window in front as soon as it runs.
	firstReport = 3 * time.Second
)

//go:embed kwin.js
var kwinScript string

// KWinWindows follows the window in front on KDE Plasma. KWin offers no
// Wayland protocol that tells any client which window has the focus
// (wlroots' foreign-toplevel list is not among its protocols), so a small
// KWin script (kwin.js) is loaded through KWin's scripting interface: it
// calls this process's Front method whenever the active window or its
// caption changes. Calls from anyone but KWin are refused, and a KWin
// that restarts makes the window in front unknown until the script,
// loaded into it again, reports.
type KWinWindows struct {
	conn    *dbus.Conn
	plugin  string
	dir     string
	first   chan struct{}
	once    sync.Once
	signals chan *dbus.Signal

	mu    sync.Mutex
	kwin  string // KWin's unique name: the only caller believed
	front Toplevel
	known bool
}

// WatchKWin loads the script into KWin and waits for its first report:
// ErrNotOffered without KWin, ErrRefused when KWin does not run it.
func WatchKWin() (*KWinWindows, error) {
	conn, err := sessionBus()
	if err != nil {
		return nil, err
	}
	k := &KWinWindows{conn: conn, first: make(chan struct{}), signals: make(chan *dbus.Signal, signalBuffer)}
	if err := k.start(); err != nil {
		k.Close()
		return nil, err
	}
	return k, nil
}

func (k *KWinWindows) start() error {
	var err error
	if k.kwin, err = owner(k.conn, kwinName); err != nil {
		return err
	}
	if err := k.conn.ExportMethodTable(map[string]any{"Front": k.report}, frontPath, frontIface); err != nil {
		return fmt.Errorf("KWin window in front: %w", err)
	}
	k.conn.Signal(k.signals)
	if err := watchOwner(k.conn, kwinName); err != nil {
		return fmt.Errorf("KWin window in front: %w", err)
	}
	// One plugin name per connection, so two Workdiary processes on one
	// desktop do not unload each other's script.
	me := k.conn.Names()[0]
	k.plugin = "workdiary-front-" + strings.NewReplacer(":", "", ".", "-").Replace(me)
	// The runtime folder is the user's own and KWin's too (a /tmp of a
	// service's own would hide the file from KWin).
	if k.dir, err = os.MkdirTemp(os.Getenv("XDG_RUNTIME_DIR"), "workdiary-kwin-"); err != nil {
		return err
	}
	file := filepath.Join(k.dir, "front.js")
	script := strings.NewReplacer("SERVICE", strconv.Quote(me), "PATH", strconv.Quote(frontPath), "IFACE", strconv.Quote(frontIface)).Replace(kwinScript)
	if err := os.WriteFile(file, []byte(script), 0o600); err != nil {
		return err
	}
	if err := k.load(file); err != nil {
		return err
	}
	go k.listen()
	select {
	case <-k.first:
	case <-time.After(firstReport):
		return fmt.Errorf("%w: KWin's script reported no window within %v", ErrRefused, firstReport)
	}
	return nil
}

// load loads the script into KWin and runs it.
func (k *KWinWindows) load(file string) error {
	scripting := k.conn.Object(kwinName, kwinScripting)
	var id int32
	if err := scripting.Call(kwinScriptsIfc+".loadScript", 0, file, k.plugin).Store(&id); err != nil || id < 0 {
		return fmt.Errorf("%w: KWin did not load the script (%d, %v)", ErrRefused, id, err)
	}
	// KWin 5.24 and later put a script at /Scripting/ScriptN, older ones at /N.
	ran := k.conn.Object(kwinName, dbus.ObjectPath(fmt.Sprintf("/Scripting/Script%d", id))).Call(kwinScriptIfc+".run", 0).Err
	if ran != nil {
		ran = k.conn.Object(kwinName, dbus.ObjectPath(fmt.Sprintf("/%d", id))).Call(kwinScriptIfc+".run", 0).Err
	}
	if ran != nil {
		return fmt.Errorf("%w: KWin did not run the script: %v", ErrRefused, ran)
	}
	return nil
}

// report is the exported Front method the script calls.
func (k *KWinWindows) report(from dbus.Sender, class, desktopFile, caption string) *dbus.Error {
	k.mu.Lock()
	defer k.mu.Unlock()
	if string(from) != k.kwin {
		return dbus.NewError("org.freedesktop.DBus.Error.AccessDenied", []any{"only KWin reports the window in front"})
	}
	app := desktopFile
	if app == "" {
		app = class
	}
	k.front, k.known = Toplevel{AppID: app, Title: caption, Class: class}, app != ""
	k.once.Do(func() { close(k.first) })
	return nil
}

// listen follows KWin's name: a KWin that ends knows no window in front,
// and one that starts (KWin restarted) gets the script again.
func (k *KWinWindows) listen() {
	for s := range k.signals {
		if o, ok := ownerChanged(s, kwinName); ok {
			k.mu.Lock()
			k.kwin, k.known = o, false
			k.mu.Unlock()
			if o != "" {
				go k.load(filepath.Join(k.dir, "front.js"))
			}
		}
	}
}

// Active returns the window in front as KWin last reported it; ok is false
// when none is (the desktop has the focus) or nobody can tell.
func (k *KWinWindows) Active() (Toplevel, bool) {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.front, k.known
}

// Close unloads the script and ends the connection.
func (k *KWinWindows) Close() error {
	if k.plugin != "" {
		k.conn.Object(kwinName, kwinScripting).Call(kwinScriptsIfc+".unloadScript", 0, k.plugin)
	}
	if k.dir != "" {
		os.RemoveAll(k.dir)
	}
	return k.conn.Close()
}
