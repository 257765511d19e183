package app

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
)

// InstanceID names the window of one data folder for Wails'
// single-instance lock: a second launch on the same folder focuses the
// first window; apps on other folders (an employer's and a contractor's
// on one machine) stay apart.
func InstanceID(home string) string {
	abs, err := filepath.Abs(home)
	if err != nil {
		abs = home
	}
	sum := sha256.Sum256([]byte(abs))
	return "workdiary_" + hex.EncodeToString(sum[:8])
}
