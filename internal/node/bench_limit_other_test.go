//go:build !unix

package node_test

import "testing"

// raiseFileLimit: Windows has no open-files limit to raise.
func raiseFileLimit(*testing.B) {}
