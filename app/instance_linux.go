//go:build linux

package app

import (
	"encoding/json"
	"os"
	"strings"

	"github.com/godbus/dbus/v5"
	"github.com/wailsapp/wails/v2/pkg/options"
)

// FocusRunning asks the window already open on this folder to come to the
// front, through the name Wails' single-instance lock owns on the session
// bus; true when one answered. It runs before the folder is opened, which
// the first window holds.
func FocusRunning(id string) bool {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return false
	}
	defer conn.Close()
	if conn.Auth(nil) != nil || conn.Hello() != nil {
		return false
	}
	// The names Wails builds from the ID (internal/frontend/desktop/linux).
	w := "wails_app_" + strings.NewReplacer("-", "_", ".", "_").Replace(id)
	name, path := "org."+w+".SingleInstance", dbus.ObjectPath("/org/"+w+"/SingleInstance")
	data := options.SecondInstanceData{Args: os.Args[1:]}
	data.WorkingDirectory, _ = os.Getwd()
	b, err := json.Marshal(data)
	if err != nil {
		return false
	}
	return conn.Object(name, path).Call(name+".SendMessage", 0, string(b)).Err == nil
}

// HaveSessionBus reports whether a session bus runs. Wails' single-instance
// lock is set only then: without one it would launch a bus (dbus-launch)
// that outlives the app.
func HaveSessionBus() bool {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return false
	}
	conn.Close()
	return true
}
