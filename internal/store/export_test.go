package store

// SetLevelledFrom changes levelledFrom for a test and returns the undo.
func SetLevelledFrom(n int64) func() {
	old := levelledFrom
	levelledFrom = n
	return func() { levelledFrom = old }
}
