package wayland

import (
	"errors"
	"fmt"

	"github.com/godbus/dbus/v5"
)

// ErrRefused means the desktop has the service but will not tell this
// program (GNOME Shell keeps its window list to itself outside its unsafe
// mode, KWin may not run the script).
var ErrRefused = errors.New("the desktop refused to tell")

// sessionBus opens a private connection to the session bus, never
// starting one (D-Bus's autolaunch would start a bus, and an X program
// with it).
func sessionBus() (*dbus.Conn, error) {
	conn, err := dbus.SessionBusPrivateNoAutoStartup()
	if err != nil {
		return nil, fmt.Errorf("%w: no session bus: %v", ErrNotOffered, err)
	}
	if err := conn.Auth(nil); err != nil {
		conn.Close()
		return nil, fmt.Errorf("session bus: %w", err)
	}
	if err := conn.Hello(); err != nil {
		conn.Close()
		return nil, fmt.Errorf("session bus: %w", err)
	}
	return conn, nil
}

// owner is the unique name that owns name on the bus, ErrNotOffered when
// nobody does. A well-known name is asked for its owner, never called
// blindly, so no service is started by activation on the way.
func owner(conn *dbus.Conn, name string) (string, error) {
	var unique string
	err := conn.BusObject().Call("org.freedesktop.DBus.GetNameOwner", 0, name).Store(&unique)
	if err != nil {
		return "", fmt.Errorf("%w: %s is not on the session bus", ErrNotOffered, name)
	}
	return unique, nil
}

// BusOffers says, asking on one connection, what the session bus offers
// a tracker: idle notifications (GNOME's idle monitor), and the window in
// front (KWin, or a GNOME Shell that tells its window list).
func BusOffers() (idle, windows bool) {
	conn, err := sessionBus()
	if err != nil {
		return false, false
	}
	defer conn.Close()
	_, err = owner(conn, mutterName)
	idle = err == nil
	if _, err := owner(conn, kwinName); err == nil {
		return idle, true
	}
	if _, err := owner(conn, shellName); err == nil {
		_, err = (&ShellWindows{conn: conn, obj: conn.Object(shellName, shellPath)}).list()
		windows = err == nil
	}
	return idle, windows
}

// watchOwner asks the bus to report name's owner changing
// (org.freedesktop.DBus.NameOwnerChanged), so that a desktop service that
// restarts or goes away is noticed.
func watchOwner(conn *dbus.Conn, name string) error {
	return conn.AddMatchSignal(dbus.WithMatchSender("org.freedesktop.DBus"), dbus.WithMatchInterface("org.freedesktop.DBus"),
		dbus.WithMatchMember("NameOwnerChanged"), dbus.WithMatchArg(0, name))
}

// ownerChanged reads a NameOwnerChanged signal about name: ok is false
// for any other signal.
func ownerChanged(s *dbus.Signal, name string) (newOwner string, ok bool) {
	if s.Sender != "org.freedesktop.DBus" || s.Name != "org.freedesktop.DBus.NameOwnerChanged" || len(s.Body) != 3 {
		return "", false
	}
	n, _ := s.Body[0].(string)
	o, _ := s.Body[2].(string)
	return o, n == name
}
