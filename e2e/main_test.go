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
	os.Exit(m.Run())
}
