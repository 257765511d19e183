package notifytest

import (
	"bufio"
	"os/exec"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/godbus/dbus/v5"
)

// SessionBus starts a session D-Bus of the test's own (what
// dbus-run-session does), stopped when the test ends, and returns its
// address.
func SessionBus(t testing.TB) string {
	t.Helper()
	return Bus(t, "--session")
}

// Bus starts a dbus-daemon with config (a flag: "--session", or
// "--config-file=PATH"), stopped when the test ends, and returns its
// address.
func Bus(t testing.TB, config string) string {
	t.Helper()
	return BusEnv(t, config, nil)
}

// BusEnv is Bus whose daemon runs with env (nil: this process's), which
// is what the services it activates start with.
func BusEnv(t testing.TB, config string, env []string) string {
	t.Helper()
	cmd := exec.Command("dbus-daemon", config, "--nofork", "--nopidfile", "--print-address=1")
	cmd.Env = env
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start dbus-daemon: %v", err)
	}
	t.Cleanup(func() { stopBus(cmd) })
	// A daemon that cannot start exits, which ends the read.
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("dbus-daemon printed no address: %v", err)
	}
	return strings.TrimSpace(line)
}

// stopBus ends a daemon with SIGTERM, on which it removes its socket file
// (SIGKILL would leave one behind in /tmp for every test), and kills it if
// it has not gone within five seconds.
func stopBus(cmd *exec.Cmd) {
	_ = cmd.Process.Signal(syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = cmd.Process.Kill()
		<-done
	}
}

// Conn connects to the bus at addr for the length of the test.
func Conn(t testing.TB, addr string) *dbus.Conn {
	t.Helper()
	conn, err := dbus.Connect(addr)
	if err != nil {
		t.Fatalf("connect to the test's session bus: %v", err)
	}
	t.Cleanup(func() { conn.Close() })
	return conn
}

// Note is one notification the server received.
type Note struct {
	ID      uint32
	Summary string
	Body    string
	Actions []string // key, label, key, label …
	Closed  bool     // the sender withdrew it (CloseNotification)
}

// HasAction reports whether the note offers the action key.
func (n Note) HasAction(key string) bool {
	for i := 0; i+1 < len(n.Actions); i += 2 {
		if n.Actions[i] == key {
			return true
		}
	}
	return false
}

// Server is a notification server (org.freedesktop.Notifications).
type Server struct {
	conn  *dbus.Conn
	mu    sync.Mutex
	notes []Note
}

// Serve owns org.freedesktop.Notifications on the bus at addr.
func Serve(t testing.TB, addr string) *Server {
	t.Helper()
	s := &Server{conn: Conn(t, addr)}
	if err := s.conn.Export(s, "/org/freedesktop/Notifications", "org.freedesktop.Notifications"); err != nil {
		t.Fatal(err)
	}
	if r, err := s.conn.RequestName("org.freedesktop.Notifications", dbus.NameFlagDoNotQueue); err != nil || r != dbus.RequestNameReplyPrimaryOwner {
		t.Fatalf("own org.freedesktop.Notifications: %v %v", r, err)
	}
	return s
}

// Notify is the server's method: it records the note.
func (s *Server) Notify(app string, replaces uint32, icon, summary, body string, actions []string,
	hints map[string]dbus.Variant, expire int32) (uint32, *dbus.Error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	id := uint32(len(s.notes) + 1)
	s.notes = append(s.notes, Note{ID: id, Summary: summary, Body: body, Actions: actions})
	return id, nil
}

// CloseNotification is the server's method: it marks the note withdrawn.
func (s *Server) CloseNotification(id uint32) *dbus.Error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if id > 0 && int(id) <= len(s.notes) {
		s.notes[id-1].Closed = true
	}
	return nil
}

// GetCapabilities is the server's method.
func (s *Server) GetCapabilities() ([]string, *dbus.Error) {
	return []string{"actions", "body"}, nil
}

// GetServerInformation is the server's method.
func (s *Server) GetServerInformation() (string, string, string, string, *dbus.Error) {
	return "notifytest", "workdiary", "1", "1.2", nil
}

// Wait waits for a note whose summary contains text.
func (s *Server) Wait(t testing.TB, text string, d time.Duration) Note {
	t.Helper()
	for deadline := time.Now().Add(d); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		for _, n := range s.All() {
			if strings.Contains(n.Summary, text) {
				return n
			}
		}
	}
	t.Fatalf("no notification %q within %v; got %+v", text, d, s.All())
	return Note{}
}

// All is every note received, in order.
func (s *Server) All() []Note {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Note(nil), s.notes...)
}

// Choose answers note id with the action key, as a click on its button
// does: ActionInvoked, then NotificationClosed (reason 2, dismissed).
func (s *Server) Choose(t testing.TB, id uint32, key string) {
	t.Helper()
	if err := s.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.ActionInvoked", id, key); err != nil {
		t.Fatal(err)
	}
	s.Dismiss(t, id)
}

// Dismiss closes note id without an action (reason 2, by the user).
func (s *Server) Dismiss(t testing.TB, id uint32) {
	t.Helper()
	if err := s.conn.Emit("/org/freedesktop/Notifications", "org.freedesktop.Notifications.NotificationClosed", id, uint32(2)); err != nil {
		t.Fatal(err)
	}
}
