package notifytest

import (
	"testing"

	"github.com/workdiary/workdiary/internal/notify"
)

// Connected starts a session bus of the test's own with a server on it,
// points DBUS_SESSION_BUS_ADDRESS at it and connects a notifier, as the
// app and the agent connect to the desktop's.
func Connected(t *testing.T) (*notify.Notifier, *Server) {
	t.Helper()
	bus := SessionBus(t)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", bus)
	srv := Serve(t, bus)
	n, err := notify.Connect("Workdiary", "workdiary")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { n.Close() })
	return n, srv
}
