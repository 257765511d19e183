//go:build e2e

package e2e

import (
	"os"
	"testing"
)

// Every program these tests start stays on loopback: no LAN discovery,
// router mapping, relays or hole punching.
func TestMain(m *testing.M) {
	if runStranger() {
		return
	}
	os.Setenv("WORKDIARY_LOCAL_ONLY", "1")
	// The programs write the login entry and may remember a moved folder
	// under XDG_CONFIG_HOME: the suite's own, never the user's. Tests that
	// look at those files set their own.
	xdg, err := os.MkdirTemp("", "wd-e2e-xdg-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", xdg)
	code := m.Run()
	os.RemoveAll(xdg)
	os.Exit(code)
}
