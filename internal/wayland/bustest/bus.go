//go:build linux

package bustest

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/workdiary/workdiary/internal/notify/notifytest"
)

// busConfig is a session bus with no activatable services: on the
// system's own session configuration a call to a name nobody owns (the
// screenshot portal, say) would start the installed service, which then
// outlives the question and mounts its files in the test's runtime
// folder. Here only what the test serves is on the bus.
const busConfig = `<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:tmpdir=/tmp</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
`

// SessionBus starts a session bus of the test's own, with no services
// but those the test serves, and points DBUS_SESSION_BUS_ADDRESS at it
// until the test ends.
func SessionBus(t testing.TB) string {
	t.Helper()
	conf := filepath.Join(t.TempDir(), "session.conf")
	if err := os.WriteFile(conf, []byte(busConfig), 0o600); err != nil {
		t.Fatal(err)
	}
	addr := notifytest.Bus(t, "--config-file="+conf)
	t.Setenv("DBUS_SESSION_BUS_ADDRESS", addr)
	return addr
}
