package node

import "time"

// SetIdleTimeout shortens the compositor's idle timeout for a test.
func SetIdleTimeout(d time.Duration) (restore func()) {
	old := idleTimeout
	idleTimeout = d
	return func() { idleTimeout = old }
}
