package app

import (
	"os"
	"testing"
)

// TestMain gives the package's tests their own XDG_CONFIG_HOME: the app
// writes the login entry there once a contract is accepted, and a test
// must never leave one in the user's autostart folder.
func TestMain(m *testing.M) {
	xdg, err := os.MkdirTemp("", "wd-app-test-xdg-")
	if err != nil {
		panic(err)
	}
	os.Setenv("XDG_CONFIG_HOME", xdg)
	code := m.Run()
	os.RemoveAll(xdg)
	os.Exit(code)
}
